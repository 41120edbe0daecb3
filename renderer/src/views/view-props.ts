export interface ViewProps {
  /** Route segments after the section name (#/circles/<id> gives ['<id>']). */
  params: string[];
}

// Collects benchmark figures, prints one per line as `name value unit`, and writes them to
// bench/results.json (not committed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export class Report {
  readonly figures: Figure[] = [];

  add(name: string, value: number, unit: string): void {
    const rounded = Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
    this.figures.push({ name, value: rounded, unit });
    console.log(`${name} ${rounded} ${unit}`);
  }

  write(dir: string): void {
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, figures: this.figures }, null, 2) + '\n');
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

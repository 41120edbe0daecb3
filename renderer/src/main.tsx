// The renderer's entry, kept small on purpose: early-start.ts opens the socket to the core,
// asks it for the first data and fetches the first view as soon as this file arrives, while
// React and the app (start-app.tsx, loaded below) are still being downloaded and evaluated.
// Everything the shell needs before its first paint then arrives in parallel instead of
// after React has been evaluated.
import './early-start';
import './styles/app.css';

void import('./start-app');

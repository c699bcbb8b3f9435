/*
 * Ace entry point. It registers the TypeScript hook and hands over to bin/console.ts.
 */
import 'ts-node-maintained/register/esm'
await import('./bin/console.js')

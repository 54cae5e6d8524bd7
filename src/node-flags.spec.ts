import * as fs from 'node:fs';
import * as path from 'node:path';
import { NODE_FLAGS } from './node-flags';

describe('NODE_FLAGS', () => {
  it('are the flags the start scripts give node', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'start:prod']) expect(scripts[name]).toContain(`node ${NODE_FLAGS.join(' ')} dist/main.js`);
  });
});

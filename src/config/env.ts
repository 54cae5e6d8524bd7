import * as fs from 'node:fs';
import { parse } from 'dotenv';

/** process.env over an optional .env file: real environment variables win. */
export function readEnv(cwd = process.cwd()): Record<string, string | undefined> {
  const file = `${cwd}/.env`;
  const fromFile = fs.existsSync(file) ? parse(fs.readFileSync(file)) : {};
  return { ...fromFile, ...process.env };
}

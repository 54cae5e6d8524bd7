import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import { CommonModule } from '../common/common.module';
import { NotFound } from '../common/errors';
import { JsonLogger } from '../common/logger';
import { ConfigModule } from '../config/config.module';
import { AppConfig, ConfigError, loadConfig } from '../config/config.schema';
import { readEnv } from '../config/env';
import { DatabaseModule } from '../database/database.module';
import { normaliseEmail, normaliseMobile } from '../interviews/contact.rules';
import { ApplicationInput, applicationInput, fieldErrors } from '../interviews/directory.inputs';
import { DirectoryService } from '../interviews/directory.service';

/**
 * `npm run import -- <file.csv> --project <id> [--dry-run]`
 *
 * Imports applications from an ATS export. Every row is checked with the admin API's rules first; the file is
 * imported whole (one transaction) or not at all, and every rejected row is reported with its line number.
 */

const USAGE = `Usage: npm run import -- <file.csv> --project <id> [--dry-run]

Imports the candidates of a CSV file as applications to a recruitment project: all rows or none.
Columns (header names are matched case-insensitively, in any order):
  first name  (first name, firstname, first_name, förnamn)     required
  last name   (last name, lastname, last_name, efternamn)      required
  email       (email, e-mail, e-post)                          required
  mobile      (mobile, phone, mobile phone, mobil, telefon)    optional; national numbers are read as DEFAULT_PHONE_REGION
  language    (language, lang, språk)                          optional; sv, en, nb, da or fi (default: the project's)
Separator: "," or ";" (detected from the header line). Encoding: UTF-8, with or without BOM.
--dry-run checks the file and the project and stores nothing.`;

type Field = keyof ApplicationInput;

/** Header names, compared after lower-casing and removing spaces, "-", "_" and ".". */
const HEADER_ALIASES: Record<Field, string[]> = {
  firstName: ['firstname', 'förnamn', 'fornamn', 'givenname'],
  lastName: ['lastname', 'efternamn', 'surname', 'familyname'],
  email: ['email', 'epost', 'mail', 'emailaddress', 'epostadress'],
  mobile: ['mobile', 'phone', 'mobilephone', 'mobil', 'telefon', 'mobilenumber', 'phonenumber', 'mobilnummer', 'telefonnummer', 'cellphone'],
  language: ['language', 'lang', 'språk', 'sprak'],
};
/** A report longer than this helps nobody: the first rows show what is wrong with the export. */
const MAX_REPORTED_ROWS = 200;
const REQUIRED: Field[] = ['firstName', 'lastName', 'email'];
const LABEL: Record<Field, string> = { firstName: 'first name', lastName: 'last name', email: 'email', mobile: 'mobile', language: 'language' };

/** Language cells as ATS exports write them: codes, locale tags or names. Anything else goes to the schema as is (and is refused). */
const LANGUAGE_NAMES: Record<string, string> = {
  svenska: 'sv', swedish: 'sv', engelska: 'en', english: 'en', norsk: 'nb', norska: 'nb', norwegian: 'nb', bokmål: 'nb', no: 'nb', nn: 'nb',
  dansk: 'da', danska: 'da', danish: 'da', suomi: 'fi', finska: 'fi', finnish: 'fi',
};

export interface RowProblem {
  line: number;
  problems: string[];
}

export interface ParsedFile {
  delimiter: string;
  rows: { line: number; input: ApplicationInput }[];
  problems: RowProblem[];
  /** Problems with the file as a whole (encoding, header, quoting): nothing else is checked when there are any. */
  fileProblems: string[];
  ignoredColumns: string[];
}

const normaliseHeader = (h: string) => h.normalize('NFC').trim().toLowerCase().replace(/[\s\-_.]+/g, '');

export function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

export function normaliseLanguage(value: string): string {
  const v = value.normalize('NFC').trim().toLowerCase();
  if (LANGUAGE_NAMES[v]) return LANGUAGE_NAMES[v];
  const tag = /^([a-z]{2})[-_][a-z]{2}$/.exec(v);
  if (tag) return LANGUAGE_NAMES[tag[1]] ?? tag[1];
  return v;
}

/** Pure: file bytes → validated inputs and every problem, with 1-based line numbers of the file (the header is line 1). */
export function parseApplicationsCsv(bytes: Buffer, phoneRegion: string): ParsedFile {
  const out: ParsedFile = { delimiter: ',', rows: [], problems: [], fileProblems: [], ignoredColumns: [] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    out.fileProblems.push('the file is not UTF-8 text; in Excel use "Save as" → "CSV UTF-8 (comma delimited)"');
    return out;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  out.delimiter = detectDelimiter(text);

  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: out.delimiter, info: true, raw: true, relax_column_count: true, skip_empty_lines: true }) as any;
  } catch (err) {
    const e = err as Error & { code?: string; lines?: number };
    const what = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a double quote (") is opened and never closed' : e.message;
    out.fileProblems.push(`${e.lines ? `line ${e.lines}: ` : ''}${what}`);
    return out;
  }
  if (records.length === 0) {
    out.fileProblems.push('the file is empty; it needs a header line and one line per candidate');
    return out;
  }

  const header = records[0].record;
  const columns = new Map<Field, number>();
  for (const [i, name] of header.entries()) {
    const key = normaliseHeader(name);
    const field = (Object.keys(HEADER_ALIASES) as Field[]).find((f) => HEADER_ALIASES[f].includes(key));
    if (!field) {
      if (key) out.ignoredColumns.push(name.trim());
      continue;
    }
    if (columns.has(field)) out.fileProblems.push(`the columns "${header[columns.get(field)!].trim()}" and "${name.trim()}" both hold the ${LABEL[field]}; keep one`);
    else columns.set(field, i);
  }
  const missing = REQUIRED.filter((f) => !columns.has(f));
  if (missing.length)
    out.fileProblems.push(
      `line 1 (the header) lacks ${missing.map((f) => `${f === 'email' ? 'an' : 'a'} ${LABEL[f]} column`).join(', ')}; found ${header.map((h) => `"${h.trim()}"`).join(', ') || 'nothing'} (separator "${out.delimiter === '\t' ? 'tab' : out.delimiter}")`,
    );
  if (out.fileProblems.length) return out;

  const seenEmails = new Map<string, number>();
  for (const { record, raw, info } of records.slice(1)) {
    const line = info.lines - (raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '').match(/\n/g)?.length ?? 0);
    if (record.every((cell) => cell.trim() === '')) continue;
    const problems: string[] = [];
    if (record.length > header.length && record.slice(header.length).some((c) => c.trim() !== ''))
      problems.push(`has ${record.length} fields but the header has ${header.length} (a value that contains "${out.delimiter}" must be in double quotes)`);

    const cell = (f: Field) => (columns.has(f) ? (record[columns.get(f)!] ?? '').trim() : '');
    const candidate: Record<string, string> = { firstName: cell('firstName'), lastName: cell('lastName'), email: cell('email') };
    if (cell('mobile')) candidate.mobile = cell('mobile');
    if (cell('language')) candidate.language = normaliseLanguage(cell('language'));

    const parsed = applicationInput.safeParse(candidate);
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    let mobile: string | undefined;
    if (candidate.mobile && !errors.mobile) {
      const m = normaliseMobile(candidate.mobile, phoneRegion);
      if (m.ok) mobile = m.e164;
      else errors.mobile = m.message;
    }
    for (const [field, message] of Object.entries(errors)) {
      const value = candidate[field];
      problems.push(`${LABEL[field as Field] ?? field}: ${message}${value && field !== 'mobile' ? ` ("${value}")` : ''}`);
    }
    if (!errors.email) {
      const email = normaliseEmail(candidate.email);
      const first = seenEmails.get(email);
      if (first !== undefined) problems.push(`email: ${email} is also on line ${first}; each candidate may appear only once`);
      else seenEmails.set(email, line);
    }
    if (problems.length) out.problems.push({ line, problems });
    else if (parsed.success) out.rows.push({ line, input: { ...parsed.data, mobile: mobile ?? null } });
  }
  if (out.rows.length === 0 && out.problems.length === 0) out.fileProblems.push('the file has a header but no candidates');
  return out;
}

function parseArgs(argv: string[]): { file?: string; project?: string; dryRun: boolean; help: boolean; unknown: string[] } {
  const args = { file: undefined as string | undefined, project: undefined as string | undefined, dryRun: false, help: false, unknown: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--dry-run') args.dryRun = true;
    else if (a === '--project' || a === '-p') args.project = argv[++i];
    else if (a.startsWith('--project=')) args.project = a.slice('--project='.length);
    else if (a.startsWith('-')) args.unknown.push(a);
    else if (args.file === undefined) args.file = a;
    else args.unknown.push(a);
  }
  return args;
}

@Module({})
class ImportModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ImportModule, imports: [ConfigModule.forRoot(config), CommonModule, DatabaseModule], providers: [DirectoryService] };
  }
}

const fail = (message: string): number => {
  process.stderr.write(`${message}\n`);
  return 1;
};
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.unknown.length) return fail(`Unknown argument${args.unknown.length > 1 ? 's' : ''}: ${args.unknown.join(' ')}\n\n${USAGE}`);
  if (!args.file || args.project === undefined) return fail(USAGE);
  if (!/^\d+$/.test(args.project)) return fail(`--project must be a project id (a number), got "${args.project}". The ids are listed by GET /api/projects.`);
  const projectId = Number(args.project);

  let config: AppConfig;
  try {
    config = loadConfig(readEnv());
  } catch (err) {
    if (err instanceof ConfigError) return fail(`${err.message}\nSee .env.example and the README's configuration table.`);
    throw err;
  }

  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(args.file);
  } catch (err) {
    return fail(`Cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const parsed = parseApplicationsCsv(bytes, config.defaultPhoneRegion);
  if (parsed.fileProblems.length) return fail(`Nothing was imported from ${args.file}:\n${parsed.fileProblems.map((p) => `  - ${p}`).join('\n')}`);

  const app = await NestFactory.createApplicationContext(ImportModule.forRoot(config), { logger: new JsonLogger('error'), abortOnError: false });
  try {
    const directory = app.get(DirectoryService);
    let project;
    try {
      project = await directory.getProject(projectId);
    } catch (err) {
      if (err instanceof NotFound) return fail(`Project ${projectId} not found: nothing was imported. The ids are listed by GET /api/projects.`);
      throw err;
    }

    if (parsed.ignoredColumns.length) process.stdout.write(`Ignoring the column${parsed.ignoredColumns.length > 1 ? 's' : ''} ${parsed.ignoredColumns.map((c) => `"${c}"`).join(', ')}.\n`);
    if (parsed.problems.length) {
      const total = parsed.rows.length + parsed.problems.length;
      const shown = parsed.problems.slice(0, MAX_REPORTED_ROWS);
      const lines = shown.flatMap((p) => p.problems.map((msg) => `  line ${p.line}: ${msg}`));
      if (parsed.problems.length > shown.length) lines.push(`  … and ${parsed.problems.length - shown.length} more rejected rows (only the first ${MAX_REPORTED_ROWS} are listed)`);
      return fail(
        `Rejected rows in ${args.file}:\n${lines.join('\n')}\n` +
          `Nothing was imported: ${plural(parsed.problems.length, 'row', 'rows')} of ${total} ${parsed.problems.length === 1 ? 'has' : 'have'} problems. Fix them and run the import again.`,
      );
    }
    if (args.dryRun) {
      process.stdout.write(`Checked ${plural(parsed.rows.length, 'application', 'applications')} for ${project.title}: all valid; nothing stored (--dry-run).\n`);
      return 0;
    }
    const started = Date.now();
    const imported = await directory.addApplications(
      projectId,
      parsed.rows.map((r) => r.input),
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`Imported ${plural(imported.length, 'application', 'applications')} into ${project.title} (${seconds} s)\n`);
    return 0;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`Import failed, nothing was imported: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}

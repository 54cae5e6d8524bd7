import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dropDatabase, ROOT, RunningApp, runNode, startApp } from './support/app';

/** `npm run import -- <file.csv> --project <id>` against the database of a running app: all rows or none. */
describe('CSV import (dist/cli/import.js)', () => {
  let app: RunningApp;
  let projectId: number;
  let dir: string;

  beforeAll(async () => {
    app = await startApp();
    const p = await app.api('POST', '/api/projects', { title: 'Backend Engineer Göteborg', slackChannelId: 'C0HIRING1', defaultLanguage: 'sv' });
    expect(p.status).toBe(201);
    projectId = p.body.id;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kallelse-import-'));
  });
  afterAll(async () => {
    await app?.stop();
    if (app) await dropDatabase(app.databaseUrl);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const writeCsv = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const runImport = (...args: string[]) => runNode([path.join(ROOT, 'dist/cli/import.js'), ...args], { DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'warn' });
  const applications = async () => (await app.api('GET', `/api/projects/${projectId}/applications`)).body as { candidate: Record<string, string | null> }[];

  it('imports every row of a ;-separated Excel export with Swedish headers and a BOM, mobiles in E.164', async () => {
    const file = writeCsv(
      'good.csv',
      '\uFEFFFörnamn;Efternamn;E-post;Mobil;Språk;Ort\r\n' +
        'Anna;Lindqvist;Anna.Lindqvist@example.com;070-123 45 67;sv;Göteborg\r\n' +
        'John;Carter;john.carter@example.com;;en;London\r\n' +
        '"Björn; Erik";Åberg;bjorn@example.com;+46 73 765 43 21;;Malmö\r\n',
    );
    const res = await runImport(file, '--project', String(projectId));
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    expect(res.stdout).toContain('Imported 3 applications into Backend Engineer Göteborg');

    const list = await applications();
    expect(list.map((a) => a.candidate)).toEqual([
      { firstName: 'Anna', lastName: 'Lindqvist', email: 'anna.lindqvist@example.com', mobile: '+46701234567', language: 'sv' },
      { firstName: 'John', lastName: 'Carter', email: 'john.carter@example.com', mobile: null, language: 'en' },
      { firstName: 'Björn; Erik', lastName: 'Åberg', email: 'bjorn@example.com', mobile: '+46737654321', language: 'sv' },
    ]);
    expect(list.every((a: any) => a.status === 'active')).toBe(true);
  });

  it('imports nothing when one row has a bad email and another a bad phone, and names both lines and reasons', async () => {
    const before = (await applications()).length;
    const file = writeCsv(
      'bad.csv',
      'first_name,last_name,email,phone\n' +
        'Cecilia,Berg,cecilia@example.com,0701112233\n' +
        'Dan,Ek,dan.example.com,0702223344\n' +
        'Eva,Falk,eva@example.com,12ab\n' +
        'Fia,Gran,CECILIA@example.com,\n',
    );
    const res = await runImport(file, '--project', String(projectId));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 3: email: must be a valid email address \("dan\.example\.com"\)/);
    expect(res.stderr).toMatch(/line 4: mobile: "12ab" is not a valid phone number/);
    expect(res.stderr).toMatch(/line 5: email: cecilia@example\.com is also on line 2/);
    expect(res.stderr).toMatch(/Nothing was imported: 3 rows of 4 have problems/);
    expect(res.stdout).not.toMatch(/Imported/);
    const after = await applications();
    expect(after).toHaveLength(before);
    expect(after.map((a) => a.candidate.email)).not.toContain('cecilia@example.com');
  });

  it('refuses a file without the required columns', async () => {
    const file = writeCsv('headers.csv', 'name,contact\nAnna,anna@example.com\n');
    const res = await runImport(file, '--project', String(projectId));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 1 \(the header\) lacks a first name column, a last name column, an email column; found "name", "contact"/);
  });

  it('fails on an unknown project and stores nothing', async () => {
    const file = writeCsv('ok.csv', 'firstname,lastname,email\nGustav,Holm,gustav@example.com\n');
    const res = await runImport(file, '--project', '999999');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Project 999999 not found/);
    const other = await runImport(file);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/Usage: npm run import/);
    expect((await applications()).map((a) => a.candidate.email)).not.toContain('gustav@example.com');
  });
});

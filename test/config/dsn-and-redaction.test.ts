import { describe, expect, it } from 'vitest';
import { redactDsn, redactSecrets } from '../../src/config/redact.ts';
import { keyValueDsnToUrl, normalisePostgresDsn } from '../../src/config/dsn.ts';

const isPostgresDsn = (dsn: string): boolean => normalisePostgresDsn(dsn).ok;

describe('isPostgresDsn', () => {
  it.each([
    'postgres://user:pw@localhost:5432/db',
    'postgresql://localhost/db',
    'postgresql://user@host/db?sslmode=require',
    'POSTGRES://host/db',
    'host=localhost dbname=app user=app',
    "host=db password='with space' dbname=x",
    'dbname=app',
  ])('accepts %j', (dsn) => {
    expect(isPostgresDsn(dsn)).toBe(true);
  });

  it.each([
    'mysql://user:pw@localhost/db',
    'localhost:5432/db',
    'postgres://host:notaport/db',
    'just words',
    'host=',
    'http://example.com',
  ])('rejects %j', (dsn) => {
    expect(isPostgresDsn(dsn)).toBe(false);
  });
});

describe('key=value DSNs become the URL they mean', () => {
  it.each([
    ['host=db port=5433 dbname=app user=app password=secret', 'postgresql://app:secret@db:5433/app'],
    ["host=db dbname=app user=app password='p w\\'q'", "postgresql://app:p%20w'q@db/app"],
    ['host=/var/run/postgresql dbname=app user=app', 'postgresql://app@/app?host=%2Fvar%2Frun%2Fpostgresql'],
    ['host=::1 dbname=app sslmode=require application_name=dpm', 'postgresql://[::1]/app?sslmode=require&application_name=dpm'],
    ['dbname=app', 'postgresql:///app'],
  ])('%j → %j', (dsn, url) => {
    expect(keyValueDsnToUrl(dsn)).toEqual({ ok: true, url });
  });

  it.each([
    ['connect_timeout=10 host=db', /connect_timeout/],
    ['host=a,b dbname=x', /several hosts/],
    ['host=db port=abc', /port/],
    ['target_session_attrs=read-write host=db', /target_session_attrs/],
  ])('refuses %j, naming why (the driver would ignore or misread it)', (dsn, reason) => {
    const parsed = keyValueDsnToUrl(dsn);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });
});

describe('redaction', () => {
  it('hides the password of a URL DSN and keeps the rest', () => {
    expect(redactDsn('postgres://app:s3cret@db:5432/app')).toBe('postgres://app:***@db:5432/app');
  });

  it('covers passwords that contain @ and key=value DSNs', () => {
    expect(redactDsn('postgresql://app:p@ss@db/app')).toBe('postgresql://app:***@db/app');
    expect(redactDsn("host=db password='a b' user=x")).toBe('host=db password=*** user=x');
    expect(redactDsn('host=db password=plain user=x')).toBe('host=db password=*** user=x');
  });

  it('redacts DSNs embedded in free text', () => {
    const text = 'connect ECONNREFUSED for postgres://a:one@h1/x and postgres://b:two@h2/y';
    const redacted = redactSecrets(text);
    expect(redacted).not.toMatch(/one|two/);
    expect(redacted).toContain('postgres://a:***@h1/x');
  });

  it('leaves a DSN without a password unchanged', () => {
    expect(redactDsn('postgres://app@db/app')).toBe('postgres://app@db/app');
  });
});

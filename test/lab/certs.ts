/**
 * Test certificates for the lab, made with the openssl command line in a temporary folder: a lab root CA,
 * a CA chain named like a free issuer, self-signed and expired certificates, and one that does not cover
 * the name the phone asks for. Nothing here is trusted anywhere: the phone's clients run with -k.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type CertKind = 'lab' | 'self-signed' | 'expired' | 'free-issuer' | 'wrong-name';

export interface ServerCert {
  cert: string;
  key: string;
  /** Intermediate certificates the server sends after its own (empty when none). */
  chain: string | null;
  kind: CertKind;
}

/** The name a 'wrong-name' certificate is issued for instead of the server's own names. */
export const WRONG_NAME = 'unrelated-service.lab.test';

/** Subject of the intermediate that signs 'free-issuer' certificates: named like Let's Encrypt's. */
export const FREE_ISSUER_SUBJECT = "/C=US/O=Let's Encrypt/CN=R3";

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** openssl ca's date format (UTC): YYYYMMDDHHMMSSZ. */
function caDate(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

const DAY = 86_400_000;

interface Ca {
  dir: string;
  cert: string;
  key: string;
  config: string;
}

export class CertFactory {
  private serial = 0;
  private readonly labCa: Ca;
  private readonly freeRoot: Ca;
  private readonly freeInter: Ca;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.labCa = this.makeCa('lab-ca', '/O=Quietcheck Lab/CN=Quietcheck Lab Root CA', null);
    this.freeRoot = this.makeCa('free-root', '/O=Quietcheck Lab/CN=Quietcheck Lab Free Root', null);
    this.freeInter = this.makeCa('free-r3', FREE_ISSUER_SUBJECT, this.freeRoot);
  }

  private newKey(path: string): void {
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path], this.dir);
  }

  private makeCa(name: string, subject: string, parent: Ca | null): Ca {
    const dir = join(this.dir, name);
    mkdirSync(join(dir, 'new'), { recursive: true });
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '1000\n');
    const cert = join(dir, 'ca.pem');
    const key = join(dir, 'ca.key');
    const config = join(dir, 'ca.cnf');
    writeFileSync(
      config,
      [
        '[ ca ]',
        'default_ca = lab',
        '[ lab ]',
        `database = ${join(dir, 'index.txt')}`,
        `new_certs_dir = ${join(dir, 'new')}`,
        `serial = ${join(dir, 'serial')}`,
        `certificate = ${cert}`,
        `private_key = ${key}`,
        'default_md = sha256',
        'policy = anything',
        'email_in_dn = no',
        'unique_subject = no',
        'copy_extensions = none',
        '[ anything ]',
        'countryName = optional',
        'organizationName = optional',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    this.newKey(key);
    const caExt = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
    if (parent === null) {
      openssl(['req', '-x509', '-new', '-key', key, '-out', cert, '-subj', subject, '-days', '3650', ...caExt], this.dir);
    } else {
      const csr = join(dir, 'ca.csr');
      openssl(['req', '-new', '-key', key, '-out', csr, '-subj', subject], this.dir);
      const ext = join(dir, 'ca.ext');
      writeFileSync(ext, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
      this.sign(parent, csr, cert, ext, new Date(Date.now() - 30 * DAY), new Date(Date.now() + 3000 * DAY));
    }
    return { dir, cert, key, config };
  }

  private sign(ca: Ca, csr: string, out: string, extfile: string, from: Date, to: Date): void {
    openssl(
      ['ca', '-batch', '-notext', '-config', ca.config, '-in', csr, '-out', out, '-extfile', extfile,
        '-startdate', caDate(from), '-enddate', caDate(to)],
      this.dir,
    );
  }

  /** A server certificate of the given kind for these names (the first is the subject CN). */
  issue(kind: CertKind, names: string[]): ServerCert {
    const n = ++this.serial;
    const base = join(this.dir, `leaf-${n}-${kind}`);
    const key = `${base}.key`;
    const cert = `${base}.pem`;
    this.newKey(key);
    const covered = kind === 'wrong-name' ? [WRONG_NAME] : names.length > 0 ? names : [`host-${n}.lab.test`];
    const san = covered.map((d) => `DNS:${d}`).join(',');
    const subject = `/CN=${covered[0]}`;
    if (kind === 'self-signed') {
      openssl(['req', '-x509', '-new', '-key', key, '-out', cert, '-subj', subject, '-days', '365',
        '-addext', `subjectAltName=${san}`, '-addext', 'basicConstraints=CA:FALSE'], this.dir);
      return { cert, key, chain: null, kind };
    }
    const csr = `${base}.csr`;
    const ext = `${base}.ext`;
    openssl(['req', '-new', '-key', key, '-out', csr, '-subj', subject], this.dir);
    writeFileSync(ext, `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
    const now = Date.now();
    if (kind === 'expired') {
      // Valid for a year, ended long ago.
      this.sign(this.labCa, csr, cert, ext, new Date(now - 800 * DAY), new Date(now - 435 * DAY));
      return { cert, key, chain: null, kind };
    }
    if (kind === 'free-issuer') {
      this.sign(this.freeInter, csr, cert, ext, new Date(now - DAY), new Date(now + 89 * DAY));
      return { cert, key, chain: this.freeInter.cert, kind };
    }
    this.sign(this.labCa, csr, cert, ext, new Date(now - DAY), new Date(now + 365 * DAY));
    return { cert, key, chain: null, kind };
  }
}

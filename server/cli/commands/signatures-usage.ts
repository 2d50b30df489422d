import type { CommandInfo } from '../registry';

// Names and help of the signing commands, apart from their code: the CLI lists them and parses the
// command line without loading the PDF, PKCS#11 and certificate libraries (≈ 1.5 s of CPU per start),
// which only the signing commands need (commands/index.ts loads signatures.ts on first use).
export const signatureUsage = {
  caInit: {
    name: 'ca init',
    usage: 'ca init --name "CA name" --org "Organization" [--years N] [--force]',
    summary: 'Create the organization root CA in <data>/ca (demo / small councils)',
  },
  caImport: {
    name: 'ca import',
    usage: 'ca import --cert CA.pem --key CA-key.pem [--chain PARENTS.pem]',
    summary: 'Use an existing CA or sub-CA (e.g. issued by the government CA) as the organization CA',
  },
  certIssue: {
    name: 'cert issue',
    usage:
      'cert issue --name "Full name" --out FILE.p12 --password P [--title T] [--org O] [--username U] [--days N] [--cert-out FILE.pem] [--public-url URL]',
    summary: 'Issue a member signing certificate (digitalSignature + nonRepudiation) as PKCS#12',
  },
  certRevoke: {
    name: 'cert revoke',
    usage: 'cert revoke --serial HEX [--reason R]',
    summary: 'Mark an issued certificate revoked (run `crl publish` afterwards)',
  },
  crlPublish: {
    name: 'crl publish',
    usage: 'crl publish [--days N]',
    summary: 'Sign and write a fresh CRL to <data>/ca/crl.der and crl.pem',
  },
  pdfSign: {
    name: 'pdf sign',
    usage:
      'pdf sign IN.pdf --out OUT.pdf (--p12 KEY.p12 --password P | --pkcs11 MODULE.so --slot N --pin-env VAR [--key-id HEX]) --field NAME --page N --rect x,y,w,h [--tsa URL] [stamp options]',
    summary:
      'Add a visible PAdES signature (incremental: earlier signatures stay valid; B-T with --tsa http://server/api/tsa); stamp options: --name --title --org --reason --location --image SEAL.png --lang vi|en',
  },
  pdfVerify: {
    name: 'pdf verify',
    usage: 'pdf verify FILE.pdf [--trust ROOT.pem]… [--crl FILE]… [--json] [--allow-unknown-revocation]',
    summary:
      'Verify every signature (chain, validity, usage, CRL, time-stamp, changes after signing); exit 0 only if all are valid, 3 if valid but the revocation status is unknown (0 with --allow-unknown-revocation), 1 otherwise',
  },
  ballotVerify: {
    name: 'ballot verify',
    usage: 'ballot verify BALLOT.json [--trust ROOT.pem]… [--crl FILE]… [--cert VOTER.pem] [--json]',
    summary: 'Verify an exported signed ballot ({payload, cms}) offline; exit 0 only if valid',
  },
} as const satisfies Record<string, CommandInfo>;

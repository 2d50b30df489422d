// Object identifiers used by CMS, CAdES and X.509 (RFC 5652, RFC 5035, RFC 5280, ETSI EN 319 122).
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  ekuEmailProtection: '1.3.6.1.5.5.7.3.4',
  ekuDocumentSigning: '1.3.6.1.4.1.311.10.3.12',
  ekuAnyExtendedKeyUsage: '2.5.29.37.0',
  ekuTimeStamping: '1.3.6.1.5.5.7.3.8',
  /** id-ct-TSTInfo (RFC 3161): the content of a time-stamp token. */
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  /** id-aa-signatureTimeStampToken (RFC 3161 appendix A): unsigned attribute, PAdES B-T. */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  /** Time-stamp policy of the organization TSA: an X.667 UUID OID (no registered arc needed). */
  tsaPolicy: '2.25.208163817398425360393312036187463510367',
} as const;

export const DIGEST_BY_OID: Readonly<Record<string, 'sha256' | 'sha384' | 'sha512'>> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

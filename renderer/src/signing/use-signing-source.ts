import { useEffect, useState } from 'react';
import type { VaultSource } from '../../../shared/ipc';
import type { PlatformSigning } from '../../../shared/platform';

/**
 * Where the host's signing key is: 'pkcs11' (a USB token: each signature needs its PIN), 'pkcs12'
 * (imported into the desktop vault), null (none, or a browser). `undefined` while unknown.
 * `version` re-reads it after the user chose another certificate.
 */
export function useSigningSource(signing: PlatformSigning | undefined, version = 0): VaultSource | undefined {
  const [source, setSource] = useState<VaultSource | undefined>(undefined);
  useEffect(() => {
    let current = true;
    const read = signing?.source ? signing.source() : Promise.resolve(null);
    void read.then((s) => {
      if (current) {
        setSource(s);
      }
    });
    return () => {
      current = false;
    };
  }, [signing, version]);
  return source;
}

/** A tiny promise wrapper over IndexedDB: one database, key-value stores. */
const DB_NAME = 'ecab';
const STORES = ['documents', 'notes'] as const;
export type StoreName = (typeof STORES)[number];

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      for (const s of STORES) {
        if (!req.result.objectStoreNames.contains(s)) {
          req.result.createObjectStore(s);
        }
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
  });
  return opening;
}

function run<T>(store: StoreName, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const req = fn(tx.objectStore(store));
        tx.oncomplete = () => resolve(req.result as T);
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB failed'));
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB aborted'));
      }),
  );
}

/** Opens the database early so the first cache lookup does not pay for it. */
export function idbWarm(): void {
  if (idbAvailable()) {
    void open().catch(() => undefined);
  }
}

export function idbAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

export function idbGet<T>(store: StoreName, key: string): Promise<T | undefined> {
  return run<T | undefined>(store, 'readonly', (s) => s.get(key));
}

export function idbPut(store: StoreName, key: string, value: unknown): Promise<void> {
  return run<unknown>(store, 'readwrite', (s) => s.put(value, key)).then(() => undefined);
}

export function idbDelete(store: StoreName, key: string): Promise<void> {
  return run<unknown>(store, 'readwrite', (s) => s.delete(key)).then(() => undefined);
}

export function idbKeys(store: StoreName): Promise<string[]> {
  return run<IDBValidKey[]>(store, 'readonly', (s) => s.getAllKeys()).then((keys) => keys.map(String));
}

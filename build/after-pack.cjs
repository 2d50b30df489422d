// @ts-check
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: electron-builder require()s its config and hooks. */
/**
 * electron-builder afterPack hook: flips Electron fuses in the packaged binary before it is signed
 * and wrapped (Checklist 19, electronjs.org/docs/latest/tutorial/fuses). Fuses are compiled-in
 * switches that no command-line flag or environment variable can turn back on.
 */
const { join } = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** @param {{ appOutDir: string, electronPlatformName: string, packager: { appInfo: { productFilename: string }, executableName: string } }} context */
async function afterPack(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  /** @type {Record<string, string>} */
  const binaries = {
    darwin: `${name}.app`,
    win32: `${name}.exe`,
    linux: packager.executableName,
  };
  const binary = binaries[electronPlatformName];
  if (!binary) {
    throw new Error(`after-pack: unknown platform ${electronPlatformName}`);
  }
  await flipFuses(join(appOutDir, binary), {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: electronPlatformName === 'darwin',
    // The app binary can never be used as a plain Node.js interpreter (ELECTRON_RUN_AS_NODE).
    [FuseV1Options.RunAsNode]: false,
    // Cookies on disk are encrypted with the OS key store.
    [FuseV1Options.EnableCookieEncryption]: true,
    // NODE_OPTIONS and --inspect cannot inject code into the main process.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // The app code is loaded only from app.asar, and the asar is checked against its embedded hash.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // We serve the renderer from app://, so file:// needs no extra privileges.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
}

module.exports = afterPack;
module.exports.default = afterPack;

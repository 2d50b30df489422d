// @ts-check
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: electron-builder require()s its config and hooks. */
/**
 * `npm run dist` = `npm run build:desktop` + electron-builder with this file: AppImage and deb on
 * Linux, an NSIS installer on Windows, written to release/. Needs the Electron binary (downloaded by
 * electron-builder where the network allows it). Fuses are flipped in build/after-pack.cjs.
 */
const { join } = require('node:path');
const { writeIcon } = require('./icon.cjs');

const root = join(__dirname, '..');
// Generated here, at packaging time: no binary image is kept in the repository.
const icon = writeIcon(join(root, 'out', 'build-resources', 'icon.png'));

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'vn.ecabinet.desktop',
  productName: 'E-Cabinet',
  copyright: 'E-Cabinet contributors',
  directories: { output: join(root, 'release'), buildResources: join(root, 'out', 'build-resources') },
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json'],
  extraMetadata: { main: 'out/main/index.js' },
  asar: true,
  icon,
  afterPack: join(__dirname, 'after-pack.cjs'),
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    icon,
    maintainer: 'E-Cabinet <ecabinet@example.invalid>',
    synopsis: "Paperless meetings for People's Councils",
    executableName: 'e-cabinet',
  },
  deb: { depends: ['libsecret-1-0', 'libnotify4'] },
  appImage: { artifactName: 'E-Cabinet-${version}-${arch}.AppImage' },
  win: { target: ['nsis'], icon },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    deleteAppDataOnUninstall: false,
  },
};

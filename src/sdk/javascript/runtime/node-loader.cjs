/*
 * Loads the SDK in Node (18+): runs its browser scripts in order in this context, as the script tags of README.md
 * do in a page, and exports apigClientFactory.   const apigClientFactory = require('./apiGateway-js-sdk/node.cjs');
 */
'use strict';
const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');

const SCRIPTS = __SCRIPTS__;
for (const file of SCRIPTS) {
  vm.runInThisContext(fs.readFileSync(path.join(__dirname, file), 'utf8'), { filename: path.join(__dirname, file) });
}
module.exports = globalThis.apigClientFactory;

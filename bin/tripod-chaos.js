#!/usr/bin/env node
// tripod-chaos of the packed tripod package: the workspace packages are bundled in its node_modules (docs/install.md).
import '../node_modules/@tripod/chaos/bin/tripod-chaos.js';

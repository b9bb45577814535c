#!/usr/bin/env node
// tripod-cop of the packed tripod package: the workspace packages are bundled in its node_modules (docs/install.md).
import '../node_modules/@tripod/cop/bin/tripod-cop.js';

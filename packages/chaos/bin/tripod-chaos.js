#!/usr/bin/env node
// tripod-chaos: a committed shim, so npm links the command before `prepare` builds dist/ (the real entry).
import '../dist/src/bin.js';

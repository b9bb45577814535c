#!/usr/bin/env -S node --lite-mode --max-semi-space-size=1
// tripod-cop: a committed shim, so npm links the command before `prepare` builds dist/ (the real entry).
import '../dist/src/bin.js';

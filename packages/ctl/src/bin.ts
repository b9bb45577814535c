#!/usr/bin/env node
// tripod: the ops CLI (placeholder entry until the ctl package lands; prints usage and exits 2).
process.stderr.write('tripod: the ops CLI is not built yet\n');
process.exit(2);

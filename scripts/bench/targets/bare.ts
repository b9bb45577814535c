// The bare reference: the benchmark handler on its own http.createServer().listen(port), nothing else.
// usage: node bare.js PORT
import { createServer } from 'node:http';
import handler from '../app.js';

const port = Number(process.argv[2]);
createServer(handler).listen(port, '127.0.0.1', 511);

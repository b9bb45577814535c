// Exec mode with gunicorn (Debian python3-gunicorn): READY=1, LISTEN_FDS, drains on SIGTERM. The scenarios: helpers/real-server.ts.
import { realServerTests } from '../helpers/real-server.js';

realServerTests('gunicorn');

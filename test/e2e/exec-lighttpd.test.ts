// Exec mode with lighttpd (Debian lighttpd, C): socket activation without sd_notify, ready by proof probe, drains on SIGINT. The scenarios: helpers/real-server.ts.
import { realServerTests } from '../helpers/real-server.js';

realServerTests('lighttpd');

/**
 * The flags Node runs the app with: package.json's start scripts pass them, and the tests and the bench start the
 * app with them too (node-flags.spec.ts keeps the two in step).
 *
 * A young generation of up to 32 MB per semi-space instead of Node's 16: every Slack flow and answer allocates its
 * parsed payload, views and statements, most of it dead by the next scavenge. Under the Slack bench this halved the
 * number of scavenges and cut the time in them by about 30 % (bench/README), at no cost to idle memory (the young
 * generation grows only under allocation).
 */
export const NODE_FLAGS = ['--max-semi-space-size=32'];

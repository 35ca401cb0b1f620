// The running govmail suite of the browser tests: suite.py (the integration harness) started
// as a child process; call(op, args) asks it for people, SMS codes and the mail-side clients.

import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const launcher = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'suite.py');

export class Suite {
    // Resolves once the daemons listen; the description has the portal URL and the password
    // of the people the suite makes.
    static async start() {
        const child = spawn('python3', [launcher], { stdio: ['pipe', 'pipe', 'inherit'] });
        const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
        const first = await lines.next();
        if (first.done) {
            throw new Error('suite.py ended before the suite started (see its output above)');
        }
        return new Suite(child, lines, JSON.parse(first.value));
    }

    constructor(child, lines, description) {
        this.child = child;
        this.lines = lines;
        this.queue = Promise.resolve();
        Object.assign(this, description);
    }

    // One request at a time: the answers come back in order.
    call(op, args = {}) {
        const next = this.queue.then(async () => {
            this.child.stdin.write(JSON.stringify({ op, ...args }) + '\n');
            const line = await this.lines.next();
            if (line.done) {
                throw new Error(`suite.py ended during ${op}`);
            }
            const answer = JSON.parse(line.value);
            if (!answer.ok) {
                throw new Error(`${op} failed: ${answer.error}`);
            }
            return answer.result;
        });
        this.queue = next.catch(() => {});
        return next;
    }

    // End of input stops the daemons; resolves when they have stopped.
    async stop() {
        const ended = new Promise((resolve) => this.child.once('close', resolve));
        this.child.stdin.end();
        await ended;
    }
}

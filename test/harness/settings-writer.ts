/**
 * One of several processes recording stacks in the operator's settings at once, for the
 * concurrent-writers test (test/unit/settings.test.ts): once loaded it says `ready` and waits
 * for a line on stdin, so that every writer starts at once; then it records `count` stacks named
 * after itself and prints, as one JSON line, which recordings reported success.
 */
import {once} from 'node:events';
import {loadSettings} from '../../state/settings.js';

const [writer, count] = process.argv.slice(2) as [string, string];
const settings = await loadSettings();
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const recorded: string[] = [];
for (let index = 1; index <= Number(count); index++) {
	const root = `/srv/stack-${writer}-${index}`;
	if (await settings.recordStack({root, plan: `${root}/netmigrate.yml`})) recorded.push(root);
}
process.stdout.write(`${JSON.stringify(recorded)}\n`);

/**
 * Counts a bad-input corpus's outcomes by verdict (clear error, vague, crash-hang, accepted
 * wrongly, wrote outside), for the before/after figures of an issue's note:
 * `NETMIGRATE_BAD_INPUT_ROOT=<checkout> node --import tsx test/harness/bad-input-count.ts <cases module>`
 * runs the cases of this tree against the CLI of that checkout (default: this one).
 */
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {runBadInput, verdictOf, type BadInput, type Verdict} from './bad-input.js';

const module = process.argv[2] ?? 'test/unit/bad-input/fs-cases.ts';
const {cases} = (await import(pathToFileURL(path.resolve(module)).href)) as {cases: BadInput[]};
const counts = new Map<Verdict, number>();
const queue = [...cases];
const worker = async () => {
	for (let input = queue.shift(); input; input = queue.shift()) {
		const result = await runBadInput(input);
		const verdict = verdictOf(input, result);
		counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
		console.log(
			`${verdict.padEnd(16)} ${String(result.ms).padStart(5)} ms ${String(result.maxRssKb).padStart(7)} kB  ${input.category.padEnd(13)} ${input.name}${verdict === 'clear error' ? '' : `\n    exit ${result.exit} ${result.writesOutside.join(' ')} ${result.output.trim().split('\n').slice(0, 2).join(' / ')}`}`,
		);
	}
};
await Promise.all([worker(), worker()]);
console.log(`\n${cases.length} inputs: ${[...counts].map(([verdict, count]) => `${count} ${verdict}`).join(', ')}`);

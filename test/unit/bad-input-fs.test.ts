/**
 * Runs the state-folder and write-path bad inputs (test/unit/bad-input/fs-cases.ts) through the
 * CLI with no engine and asserts what an operator would check: the exit code, a message naming
 * the file and the fix, no stack trace, nothing written outside `.netmigrate/` (the stack's
 * other files and a decoy folder links point at, hashed before and after, the decoy's modes
 * too), and each run within 10 s and 512 MB (the child's max RSS, from GNU time).
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {hasTrace, limits, runBadInput} from '../harness/bad-input.js';
import {cases} from './bad-input/fs-cases.js';

test('the corpus holds at least 60 inputs, each named once', () => {
	assert.ok(cases.length >= 60, `${cases.length} inputs`);
	assert.equal(new Set(cases.map((input) => input.name)).size, cases.length);
});

describe('bad input: the state folder, damaged state and the write path', {concurrency: 2}, () => {
	for (const input of cases) {
		test(input.name, async () => {
			const result = await runBadInput(input);
			const shown = `exit ${result.exit}\n${result.output}`;
			assert.equal(hasTrace(result.output), false, `a stack trace or an unexpected failure:\n${shown}`);
			assert.equal(result.exit, input.exit, shown);
			assert.match(result.output, input.message, shown);
			assert.deepEqual(result.writesOutside, [], shown);
			assert.ok(result.ms <= limits.ms, `${result.ms} ms`);
			if (result.maxRssKb >= 0) assert.ok(result.maxRssKb <= limits.rssKb, `${result.maxRssKb} kB`);
		});
	}
});

/**
 * Every malformed plan in test/corpus/plans gives a clear, specific message — the one its
 * `# expect:` header names, at the `# line:` it names — with a fix, no stack trace, and no
 * file changed.
 */
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {formatError, NetmigrateError} from '../../source/errors.js';
import {loadPlan} from '../../source/plan/load.js';
import {exampleStack, repoRoot} from '../harness/engine.js';
import {treeHashes} from '../harness/stack.js';

const corpus = path.join(repoRoot, 'test/corpus/plans');
const cases = readdirSync(corpus)
	.filter((name) => name.endsWith('.yml'))
	.sort();

test('the corpus holds at least 20 malformed plans', () => {
	assert.ok(cases.length >= 20, `only ${cases.length}`);
});

for (const name of cases) {
	test(`bad plan ${name} is refused with a clear message and nothing changes`, () => {
		const file = path.join(corpus, name);
		const text = readFileSync(file, 'utf8');
		const expected = new RegExp(/^# expect: (.*)$/m.exec(text)?.[1] ?? 'missing expect header', 's');
		const line = /^# line: (\d+)$/m.exec(text)?.[1];
		const before = {stack: treeHashes(exampleStack), corpus: treeHashes(corpus)};

		let caught: unknown;
		try {
			loadPlan(file);
		} catch (error) {
			caught = error;
		}
		assert.ok(caught instanceof NetmigrateError, `expected a NetmigrateError, got ${String(caught)}`);
		assert.equal(caught.code, 'bad-input');
		const rendered = formatError(caught);
		assert.match(rendered, expected);
		assert.doesNotMatch(rendered, /\n\s+at .*:\d+:\d+/, 'no stack trace');
		const problems = caught.problems.length > 0 ? caught.problems : [{message: caught.message, where: caught.where, hint: caught.hint}];
		const matching = problems.filter((problem) => expected.test(`${problem.message}\n${problem.hint ?? ''}`));
		assert.ok(matching.length > 0 && matching.every((problem) => problem.where?.file), 'the message names the file');
		if (line) {
			const lines = matching.map((problem) => problem.where?.line);
			assert.ok(lines.includes(Number(line)), `expected line ${line}, got ${lines.join(', ')}`);
		}
		assert.deepEqual({stack: treeHashes(exampleStack), corpus: treeHashes(corpus)}, before);
	});
}

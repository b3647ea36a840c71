/**
 * Bad stacks (test/corpus/stacks/*): compose projects a real operator has — include cycles,
 * missing or unreadable files, a .env without the allow-list's variable, broken YAML — each
 * refused with the message its expect.txt names (file and, where there is one, line), no
 * stack trace, and no file changed. `check.txt` = plan-iteration: the problem only shows when
 * the iteration is planned (the dry run), so that is what is run.
 */
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {formatError, NetmigrateError} from '../../source/errors.js';
import {loadPlan} from '../../source/plan/load.js';
import {discoveredFromFiles} from '../../steps/context.js';
import {planIteration} from '../../steps/index.js';
import {repoRoot} from '../harness/engine.js';
import {treeHashes} from '../harness/stack.js';

const corpus = path.join(repoRoot, 'test/corpus/stacks');
const cases = readdirSync(corpus).sort();

for (const name of cases) {
	test(`bad stack ${name} is refused with a clear message and nothing changes`, () => {
		const folder = path.join(corpus, name);
		const expected = new RegExp(readFileSync(path.join(folder, 'expect.txt'), 'utf8').trim(), 's');
		const before = treeHashes(folder);
		let caught: unknown;
		try {
			const loaded = loadPlan(path.join(folder, 'netmigrate.yml'));
			if (existsSync(path.join(folder, 'check.txt'))) planIteration(loaded.plan, 0, loaded.project, discoveredFromFiles());
		} catch (error) {
			caught = error;
		}
		assert.ok(caught instanceof NetmigrateError, `expected a NetmigrateError, got ${String(caught)}`);
		const rendered = formatError(caught);
		assert.match(rendered, expected);
		assert.match(rendered, /fix: /, 'every refusal says what to do');
		assert.doesNotMatch(rendered, /\n\s+at .*:\d+:\d+/);
		assert.deepEqual(treeHashes(folder), before);
	});
}

test('the bad-input corpus (plans and stacks) holds at least 30 cases', () => {
	const plans = readdirSync(path.join(repoRoot, 'test/corpus/plans')).filter((file) => file.endsWith('.yml'));
	assert.ok(plans.length + cases.length >= 30, `${plans.length} + ${cases.length}`);
});

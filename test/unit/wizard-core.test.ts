/**
 * The core as the wizard sees it (source/core.ts): actions arrive as described lines — the review's
 * steps, the gate before a step, the rollback preview — with file paths relative to the stack, so
 * the UI loads no action code. On the example stack, applied from its files and journaled as an
 * apply would, without an engine.
 */
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {describe as describeAction} from '../../source/actions.js';
import {describedRun, loadReview, previewRollback} from '../../source/core.js';
import {previewRollback as previewActions} from '../../source/runs/rollback.js';
import {Journal} from '../../state/journal.js';
import {Progress} from '../../state/progress.js';
import {copyExampleStack} from '../harness/engine.js';
import {planFromFiles} from '../harness/iteration.js';

/** The example stack with iteration 1 applied from its files: its writes made, every action journaled done. */
function appliedStack() {
	const stack = copyExampleStack();
	const planFile = path.join(stack.root, 'netmigrate.yml');
	const planned = planFromFiles(planFile, 0);
	const journal = new Journal(stack.root);
	for (const [index, action] of planned.steps.flatMap((step) => step.actions).entries()) {
		journal.append({run: 'apply', iteration: 'network-foundation', step: 'apply', id: `apply-${index}`, phase: 'intent', action});
		if (action.kind === 'file.write') writeFileSync(action.path, action.content);
		journal.append({run: 'apply', iteration: 'network-foundation', step: 'apply', id: `apply-${index}`, phase: 'done'});
	}
	new Progress(stack.root).save({
		name: 'network-foundation',
		index: 0,
		status: 'done',
		mode: 'live',
		operator: 'root',
		toolVersion: '0.1.0',
		startedAt: 'now',
		journalStart: 0,
		steps: {},
	});
	return {stack, planFile, planned};
}

test('the rollback preview reaches the wizard as lines, one per inverse action in order, paths relative to the stack', (t) => {
	const {stack, planFile} = appliedStack();
	t.after(() => stack.remove());
	const shown = previewRollback(planFile);
	const inverses = previewActions(planFile).actions;
	assert.ok(inverses.length > 5, `only ${inverses.length} inverse actions`);
	assert.deepEqual(
		shown.lines,
		inverses.map((action) => describeAction(action, stack.root)),
	);
	assert.ok(shown.lines.includes('write traefik/docker-compose.yml (restore networks of traefik)'), shown.lines.join('\n'));
	assert.ok(
		shown.lines.some((line) => /^remove network \S+ \(172\.\d+\.\d+\.\d+\/\d+\)$/.test(line)),
		shown.lines.join('\n'),
	);
	assert.ok(!shown.lines.some((line) => line.includes(stack.root)), 'paths are relative to the stack');
});

test("the gate before a step is shown the step's actions described, and its answer is the run's", async (t) => {
	const {stack, planFile, planned} = appliedStack();
	t.after(() => stack.remove());
	const asked: Array<{title: string; lines: string[]}> = [];
	const options = describedRun({
		planFile,
		host: 'unix:///nonexistent.sock',
		emit: () => {},
		confirm: async (step, lines) => asked.push({title: step.title, lines}) === 1,
	});
	const step = planned.steps.find((item) => item.actions.some((action) => action.kind === 'file.write'));
	assert.ok(step && options.confirm);
	assert.equal(await options.confirm(step, step.actions), true);
	assert.equal(await options.confirm(step, step.actions), false, "the operator's second answer");
	assert.equal(asked[0]?.title, step.title);
	assert.deepEqual(
		asked[0]?.lines,
		step.actions.map((action) => describeAction(action, stack.root)),
	);
	assert.ok(
		asked[0]?.lines.some((line) => line.startsWith('write traefik/docker-compose.yml (')),
		asked[0]?.lines.join('\n'),
	);
	assert.equal(describedRun({planFile, host: 'unix:///nonexistent.sock', emit: () => {}}).confirm, undefined, 'no gate with --yes');
});

test("the review's steps carry their actions described, planned from the files when no engine answers", async (t) => {
	const {stack, planFile} = appliedStack();
	t.after(() => stack.remove());
	const review = await loadReview(planFile, 'unix:///nonexistent.sock', 1);
	const fromFiles = planFromFiles(planFile, 1);
	assert.ok(
		review.warnings.some((warning) => warning.includes('planned from the compose files')),
		review.warnings.join('\n'),
	);
	assert.deepEqual(
		review.steps.map((step) => [step.name, step.described]),
		fromFiles.steps.map((step) => [step.name, step.actions.map((action) => describeAction(action, stack.root))]),
	);
	assert.ok(review.steps.flatMap((step) => step.described).length > 0);
});

// engines: 26 28 — both: the engine facts a saved plan records (versions, networks) differ by release
/**
 * The plan you reviewed is the plan that runs (issue 24): `plan --out` saves iteration 1 of the
 * example as a value (0600, no secret in it); `apply FILE` refuses it, exit 5 and nothing changed,
 * when a compose file changed or a network appeared since, naming which; unchanged, it applies
 * exactly the saved actions, and the rollback returns the start.
 */
import assert from 'node:assert/strict';
import {appendFileSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from '../harness/cli.js';
import {stackState} from '../harness/state.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();
const cli = async (args: string[]) => runCli([...args, '--host', suite.engine.host], {cwd: suite.stack.root});

test('apply FILE refuses a saved plan that no longer holds, naming what changed, and runs one that holds exactly', async () => {
	const saved = await cli(['plan', '--out', 'it1.json']);
	assert.equal(saved.exitCode, 0, saved.all);
	const file = path.join(suite.stack.root, 'it1.json');
	assert.equal(statSync(file).mode & 0o777, 0o600, 'a saved plan is private');
	const text = readFileSync(file, 'utf8');
	assert.doesNotMatch(text, /wOEI9rqqbDwnN8/, 'no secret of the stack in the saved plan');

	const compose = path.join(suite.stack.root, 'traefik/docker-compose.yml');
	const original = readFileSync(compose, 'utf8');
	appendFileSync(compose, '# changed after the review\n');
	const changedFile = await cli(['apply', 'it1.json', '--yes']);
	assert.equal(changedFile.exitCode, 5, changedFile.all);
	assert.match(changedFile.all, /no longer holds: .*traefik\/docker-compose\.yml changed/);
	writeFileSync(compose, original);

	await suite.engine.docker.createNetwork({Name: 'appeared-net', IPAM: {Config: [{Subnet: '10.99.0.0/24'}]}});
	const newNetwork = await cli(['apply', 'it1.json', '--yes']);
	await suite.engine.docker.getNetwork('appeared-net').remove();
	assert.equal(newNetwork.exitCode, 5, newNetwork.all);
	assert.match(newNetwork.all, /network appeared-net was created/);
	const refused = await stackState(suite.engine.docker, suite.stack.root);
	assert.deepEqual(
		{membership: refused.membership, networks: refused.networks},
		{membership: suite.start.membership, networks: suite.start.networks},
		'the refusals changed nothing on the engine',
	);

	const applied = await cli(['apply', 'it1.json', '--yes']);
	assert.equal(applied.exitCode, 0, applied.all);
	const planned = readFileSync(path.join(suite.stack.root, '.netmigrate/journal.jsonl'), 'utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as {phase: string; step: string; actions?: Array<{kind: string}>})
		.filter((entry) => entry.phase === 'planned');
	const savedSteps = (JSON.parse(text) as {steps: Array<{name: string; actions: Array<{kind: string}>}>}).steps;
	for (const step of savedSteps.filter((item) => item.actions.length > 0)) {
		const ran = planned.find((entry) => entry.step === step.name);
		assert.deepEqual(
			ran?.actions?.map((action) => action.kind),
			step.actions.map((action) => action.kind),
			`step ${step.name} ran the saved actions`,
		);
	}
	const back = await cli(['rollback', '--yes']);
	assert.equal(back.exitCode, 0, back.all);
});

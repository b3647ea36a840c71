/**
 * The bad-input corpus (issue 26): every input in test/unit/bad-input/*-cases.ts run through
 * the built CLI with no engine, each asserting its exit code and message (file:line or flag,
 * and a fix), no stack trace or "unexpected failure", nothing written outside `.netmigrate/`
 * (the stack's files and a decoy folder hashed before and after), no planted secret in the
 * output or in `.netmigrate/`, and at most 10 s of CPU and 512 MB (a hang is killed at 30 s of
 * wall time; see `limits`). Cases run a few at a time.
 * NETMIGRATE_BAD_INPUT_VERDICTS=1 prints the count by verdict instead of failing (to measure
 * another build, with NETMIGRATE_BAD_INPUT_BIN).
 */
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {ensureBuilt, limits, runBadInput, stackTrace, verdictOf, type BadInput, type Verdict} from '../harness/bad-input.js';
import {repoRoot} from '../harness/engine.js';
import {inputCases} from './bad-input/input-cases.js';

const fsCasesFile = path.join(repoRoot, 'test/unit/bad-input/fs-cases.ts');
// The file-system cases (another module, the same harness), whatever name their list is exported under.
const fsModule: Record<string, unknown> = existsSync(fsCasesFile)
	? ((await import('./bad-input/fs-cases.js' as string)) as Record<string, unknown>)
	: {};
const fsCases =
	Object.values(fsModule).find(
		(value): value is BadInput[] => Array.isArray(value) && value.every((item) => typeof item?.setup === 'function'),
	) ?? [];
const cases = [...inputCases, ...fsCases];
const countOnly = process.env.NETMIGRATE_BAD_INPUT_VERDICTS === '1';
const only = process.env.NETMIGRATE_BAD_INPUT_ONLY;
const counts = new Map<Verdict, string[]>();

before(() => ensureBuilt());
after(() => {
	if (!countOnly) return;
	for (const [verdict, names] of [...counts].sort())
		process.stdout.write(`# verdict ${verdict}: ${names.length}\n${names.map((name) => `#   ${name}\n`).join('')}`);
});

it('the corpus holds at least 150 inputs, names unique', () => {
	assert.ok(inputCases.length >= 150, `only ${inputCases.length}`);
	assert.equal(new Set(cases.map((input) => input.name)).size, cases.length);
});

describe('bad input', {concurrency: Number(process.env.NETMIGRATE_BAD_INPUT_CONCURRENCY ?? 3)}, () => {
	for (const input of cases) {
		if (only && !input.name.includes(only)) continue;
		it(`${input.category}: ${input.name}`, async () => {
			const result = await runBadInput(input);
			const verdict = verdictOf(input, result);
			counts.set(verdict, [
				...(counts.get(verdict) ?? []),
				`${input.name} → exit ${result.exit}: ${result.output.trim().split('\n').slice(0, 2).join(' | ').slice(0, 160)}`,
			]);
			if (countOnly) return;
			const shown = `exit ${result.exit} after ${result.ms} ms (${result.cpuMs} ms CPU), ${result.maxRssKb} KB:\n${result.output.slice(0, 3000)}`;
			assert.ok(!result.timedOut && result.cpuMs <= limits.cpuMs, `took ${result.cpuMs} ms of CPU (${result.ms} ms)\n${shown}`);
			assert.ok(result.maxRssKb > 0 && result.maxRssKb <= limits.rssKb, `peak memory ${result.maxRssKb} KB\n${shown}`);
			assert.equal(result.exit, input.exit, shown);
			assert.match(result.output, input.message, shown);
			assert.doesNotMatch(result.output, stackTrace, shown);
			assert.deepEqual(result.writesOutside, [], shown);
			assert.deepEqual(result.secretsShown, [], shown);
		});
	}
});

/**
 * Golden files for what an operator reads: the example stack's network map as text and as a
 * Mermaid diagram, now and after each of its three iterations, and its reachability matrix
 * after the last one from a hand-made observed result (test/fixtures/observed: the stack as
 * intended but for cloudflared attached to frontend-net by hand, gluetun's firewall dropping
 * sonarr, and sonarr's published port answering web-ui on its gateway). A change of wording or
 * layout shows as a diff here; `UPDATE_GOLDEN=1` rewrites the files, to be read before committing.
 */
import assert from 'node:assert/strict';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type {ObservedPair} from '../../source/plan/matrix.js';
import {loadPlan} from '../../source/plan/load.js';
import {plannedMap} from '../../source/plan/map.js';
import {renderMapMermaid, renderMapText} from '../../source/plan/map-render.js';
import {reachabilityMatrix} from '../../source/plan/matrix.js';
import {renderMatrixText} from '../../source/plan/matrix-render.js';
import {exampleStack, repoRoot} from '../harness/engine.js';

const golden = path.join(repoRoot, 'test/golden/map');
const example = loadPlan(path.join(exampleStack, 'netmigrate.yml'));

function matchesGolden(file: string, actual: string): void {
	const full = path.join(golden, file);
	if (process.env.UPDATE_GOLDEN === '1') writeFileSync(full, actual);
	assert.ok(existsSync(full), `${file} missing: run with UPDATE_GOLDEN=1 and read it`);
	assert.equal(actual, readFileSync(full, 'utf8'), file);
}

const stages = [
	['now', -1],
	['after-1', 0],
	['after-2', 1],
	['after-3', 2],
] as const;

for (const [name, through] of stages) {
	test(`the example stack's map ${name === 'now' ? 'now' : `now against ${name}`}: text and Mermaid as in test/golden/map`, () => {
		const map = plannedMap(example.project, example.plan, through);
		const text = renderMapText(map);
		assert.deepEqual(
			text.filter((line) => line.length > 80),
			[],
			'fits 80 columns',
		);
		matchesGolden(`map-${name}.txt`, `${text.join('\n')}\n`);
		matchesGolden(`map-${name}.mmd`, `${renderMapMermaid(map)}\n`);
	});
}

test("the example stack's reachability matrix after retire-legacy, from a hand-made observed result, as in test/golden/map", () => {
	const observed = JSON.parse(
		readFileSync(path.join(repoRoot, 'test/fixtures/observed/media-stack-after-retire-legacy.json'), 'utf8'),
	) as ObservedPair[];
	const matrix = reachabilityMatrix({project: example.project, plan: example.plan, through: 2, observed});
	const text = renderMatrixText(matrix);
	assert.deepEqual(
		text.filter((line) => line.length > 80),
		[],
		'fits 80 columns',
	);
	matchesGolden('matrix-after-3.txt', `${text.join('\n')}\n`);
});

test('the README shows the golden map (now against iteration 1) and the golden matrix, as they are', () => {
	const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
	for (const file of ['map-after-1.txt', 'matrix-after-3.txt'])
		assert.ok(readme.includes(`\`\`\`text\n${readFileSync(path.join(golden, file), 'utf8')}\`\`\``), `README has ${file}`);
});

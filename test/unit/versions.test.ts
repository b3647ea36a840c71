/** Preflight's minimum versions: compared as numbers, refused with what is missing. */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {versionAtLeast} from '../../source/versions.js';
import {versionProblems} from '../../steps/preflight.js';

test('compose versions compare part by part as numbers, with v-prefixes and suffixes', () => {
	assert.equal(versionAtLeast('2.26.1', '2.17.0'), true);
	assert.equal(versionAtLeast('2.9.0', '2.17.0'), false, '9 < 17 as numbers, though "9" > "1" as text');
	assert.equal(versionAtLeast('v2.40.3', '2.17.0'), true);
	assert.equal(versionAtLeast('2.17.0-desktop.1', '2.17.0'), true);
	assert.equal(versionAtLeast('garbage', '2.17.0'), false);
});

test('an old engine or compose is refused before any change, naming the minimum', () => {
	assert.deepEqual(versionProblems('1.45', '2.26.1'), []);
	const problems = versionProblems('1.40', '2.12.2');
	assert.equal(problems.length, 2);
	assert.match(problems[0]?.message ?? '', /API 1\.40; netmigrate needs 1\.41 \(Docker 20\.10\)/);
	assert.match(problems[1]?.message ?? '', /Compose 2\.12\.2 is older than 2\.17\.0/);
});

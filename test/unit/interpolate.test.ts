import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseEnvFile, setEnvValue} from '../../source/compose/envfile.js';
import {interpolate, missingRequired, soleVariable} from '../../source/compose/interpolate.js';

test('compose interpolation: defaults, required, alternatives and $$', () => {
	const variables = {A: 'a', EMPTY: ''};
	assert.equal(interpolate('${A}-$A-${B:-b}-${EMPTY:-e}-${EMPTY-e}-${A:+alt}-$$HOME', variables), 'a-a-b-e--alt-$HOME');
	assert.throws(() => interpolate('${B:?set B}', variables), /required variable B is missing a value: set B/);
	assert.equal(soleVariable('${FW}'), 'FW');
	assert.equal(soleVariable('${FW:-10.0.0.0/8}'), 'FW');
	assert.equal(soleVariable('x${FW}'), undefined);
});

test('.env editing changes one value and keeps export, quotes, comments and CRLF', () => {
	const text = '# vpn\r\nexport FW="10.0.0.0/8" # lan\r\nTZ=UTC\r\n';
	const file = parseEnvFile('.env', text);
	assert.equal(file.entries.get('FW')?.value, '10.0.0.0/8');
	assert.equal(setEnvValue(file, 'FW', '10.0.0.0/8,172.20.0.0/16'), '# vpn\r\nexport FW="10.0.0.0/8,172.20.0.0/16" # lan\r\nTZ=UTC\r\n');
});

test('every missing required variable of a value is named, : and plain forms as compose tells them apart', () => {
	const variables = {EMPTY: '', SET: 'x'};
	assert.deepEqual(missingRequired('${A:?set A}-${EMPTY:?}-${EMPTY?}-${B?need B}-${SET:?}', variables), [
		'required variable A is missing a value: set A',
		'required variable EMPTY is missing a value',
		'required variable B is missing: need B',
	]);
});

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {composeArgs, engineEnv} from '../../source/engine/compose.js';
import {formatError, exitCodeOf, NetmigrateError} from '../../source/errors.js';

test('compose runs with argument arrays that name the project directory, every file and the project', () => {
	const args = composeArgs({host: 'unix:///tmp/x.sock', directory: '/srv/media stack', files: ['a.yml', 'b b.yml'], name: 'media'}, [
		'up',
		'-d',
	]);
	assert.deepEqual(args, [
		'compose',
		'--ansi',
		'never',
		'--progress',
		'plain',
		'--project-directory',
		'/srv/media stack',
		'-f',
		'a.yml',
		'-f',
		'b b.yml',
		'-p',
		'media',
		'up',
		'-d',
	]);
});

test("the engine is named explicitly: the caller's DOCKER_HOST and DOCKER_CONTEXT are replaced by the run's engine", () => {
	process.env.DOCKER_CONTEXT = 'production';
	process.env.DOCKER_HOST = 'unix:///var/run/docker.sock';
	try {
		const env = engineEnv('unix:///tmp/private.sock');
		assert.equal(env.DOCKER_HOST, 'unix:///tmp/private.sock');
		assert.equal(env.DOCKER_CONTEXT, undefined);
	} finally {
		delete process.env.DOCKER_CONTEXT;
		delete process.env.DOCKER_HOST;
	}
});

test("compose runs with the operator's own settings: DOCKER_CONFIG (its CLI plugins pick the compose binary), TLS, COMPOSE_*", () => {
	const set = {
		DOCKER_CONFIG: '/home/op/.docker-2.40',
		DOCKER_TLS_VERIFY: '1',
		DOCKER_CERT_PATH: '/home/op/certs',
		COMPOSE_PROFILES: 'vpn',
	};
	Object.assign(process.env, set);
	try {
		const env = engineEnv('tcp://10.0.0.5:2376');
		for (const [key, value] of Object.entries(set)) assert.equal(env[key], value, key);
	} finally {
		for (const key of Object.keys(set)) delete process.env[key];
	}
});

test('an error reads as where, what and the fix — never a stack trace — and maps to its exit code', () => {
	const error = new NetmigrateError('unknown network frontnd-net', {
		where: {file: 'netmigrate.yml', line: 12, column: 19},
		hint: 'did you mean frontend-net?',
		code: 'bad-input',
	});
	assert.equal(formatError(error), 'error: netmigrate.yml:12:19: unknown network frontnd-net\n  fix: did you mean frontend-net?');
	assert.equal(exitCodeOf(error), 2);
	assert.doesNotMatch(formatError(new Error('boom')), /at .*\.ts:\d+/);
	assert.equal(exitCodeOf(new Error('boom')), 1);
});

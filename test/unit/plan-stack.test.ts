/**
 * The plan's `stack:` read as compose reads the stack: inactive-profile services are
 * neither attachable nor missing, planned subnets may not overlap the stack's own declared
 * ones (interpolated from .env), and `init` with -f, --env-file and $HOSTNAME in include
 * paths drafts a plan that `plan` then reads the same way.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {formatError, NetmigrateError} from '../../source/errors.js';
import {loadPlan} from '../../source/plan/load.js';
import {repoRoot} from '../harness/engine.js';

const fixtures = path.join(repoRoot, 'test/fixtures/compose-model');

function planFor(stack: string, body: string): {file: string; remove: () => void} {
	const folder = mkdtempSync(path.join(tmpdir(), 'netmigrate-stack-'));
	const file = path.join(folder, 'netmigrate.yml');
	writeFileSync(
		file,
		`version: 1\n${stack.replace('ROOT', JSON.stringify(path.join(fixtures, 'full-vpn_single-yaml')))}\nlegacy: media-network\n${body}`,
	);
	return {file, remove: () => rmSync(folder, {recursive: true, force: true})};
}

function problemsOf(file: string): string {
	try {
		loadPlan(file, {environment: {}});
	} catch (error) {
		assert.ok(error instanceof NetmigrateError);
		assert.equal(error.code, 'bad-input');
		return formatError(error);
	}
	return '';
}

const body = `networks:
  mgmt-net: { subnet: 172.28.0.128/25 }
iterations:
  - name: one
    attach:
      dozzle: [mgmt-net]
      jellyfin: [mgmt-net]
`;

test("a service of an inactive profile is neither attachable nor missing; a planned subnet may not overlap the stack's own", () => {
	const plan = planFor('stack: { root: ROOT, files: [docker-compose.yml, docker-compose.override.yml] }', body);
	try {
		const rendered = problemsOf(plan.file);
		assert.match(rendered, /service dozzle is in profile tools, which is not active/);
		assert.match(
			rendered,
			/network mgmt-net \(172\.28\.0\.128\/25\) overlaps 172\.28\.0\.0\/24, the subnet docker-compose\.yml declares for network media-network/,
		);
		assert.doesNotMatch(rendered, /unknown service/);
	} finally {
		plan.remove();
	}
});

test('stack.profiles activates a profile for every command', () => {
	const plan = planFor(
		'stack: { root: ROOT, files: [docker-compose.yml, docker-compose.override.yml], profiles: [tools] }',
		body.replace('172.28.0.128/25', '172.29.5.0/24'),
	);
	try {
		assert.equal(problemsOf(plan.file), '');
	} finally {
		plan.remove();
	}
});

test('init -f with --env-file and an include path from $HOSTNAME drafts a plan that plan reads the same way', async () => {
	const folder = path.join(fixtures, 'per-host');
	const output = path.join(mkdtempSync(path.join(tmpdir(), 'netmigrate-init-')), 'netmigrate.yml');
	const run = (args: string[]) =>
		execa(
			process.execPath,
			['--import', 'tsx', path.join(repoRoot, 'source/cli.ts'), ...args, '--host', 'unix:///nonexistent/netmigrate-test.sock'],
			{
				cwd: folder,
				env: {
					PATH: process.env.PATH ?? '/usr/bin:/bin',
					HOME: process.env.HOME ?? '/root',
					NO_COLOR: '1',
					HOSTNAME: 'hs',
					TSX_TSCONFIG_PATH: path.join(repoRoot, 'tsconfig.test.json'),
				},
				extendEnv: false,
				reject: false,
			},
		);
	try {
		const init = await run(['init', '-f', 'docker-compose-hs.yml', '--env-file', 'docker-compose.env', '--output', output]);
		assert.equal(init.exitCode, 0, init.stderr);
		assert.match(init.stdout, /for project hs-stack/);
		const text = readFileSync(output, 'utf8');
		assert.match(text, /files: \[docker-compose-hs\.yml\]/);
		assert.match(text, /envFiles: \["docker-compose\.env"\]/);
		const plan = await run(['plan', '--plan', output]);
		assert.equal(plan.exitCode, 0, plan.stderr);
		assert.match(plan.stdout, /project hs-stack/);
	} finally {
		rmSync(path.dirname(output), {recursive: true, force: true});
	}
});

test('an IPv6 subnet for a planned network is refused at its line, with the reason and an IPv4 range to use instead', () => {
	const plan = planFor('stack: { root: ROOT, files: [docker-compose.yml] }', body.replace('172.28.0.128/25', 'fd00:20::/64'));
	try {
		const rendered = problemsOf(plan.file);
		assert.match(
			rendered,
			/netmigrate\.yml:\d+:\d+: network mgmt-net: fd00:20::\/64 is an IPv6 range; netmigrate creates IPv4 networks only, because it cannot yet keep a container's IPv6 default route/,
		);
		assert.match(rendered, /fix: give it an IPv4 subnet such as 172\.20\.1\.0\/24/);
	} finally {
		plan.remove();
	}
});

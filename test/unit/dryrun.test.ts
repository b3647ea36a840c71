import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {loadPlan} from '../../source/plan/load.js';
import {allowListVariables, renderDryRun} from '../../source/plan/dryrun.js';
import {makeMasker, maskDiff, maskedFileDiff} from '../../source/mask.js';
import {loadComposeProject} from '../../source/compose/project.js';
import type {Plan} from '../../source/plan/schema.js';
import {discoveredFromFiles} from '../../steps/context.js';
import {planIteration} from '../../steps/index.js';
import {exampleStack} from '../harness/engine.js';
import {removeStack, treeHashes, writeStack} from '../harness/stack.js';

test('the dry run lists actions per step and masked diffs, and changes nothing', () => {
	const before = treeHashes(exampleStack);
	const loaded = loadPlan(path.join(exampleStack, 'netmigrate.yml'));
	const planned = planIteration(loaded.plan, 0, loaded.project, discoveredFromFiles());
	const text = renderDryRun(planned, loaded.project, loaded.plan, {source: 'the compose files'});
	assert.match(text, /^Iteration 1 of 3: network-foundation \(mode: live\)/);
	assert.match(text, /Create networks:\n {2}\+ create network dmz-net \(172\.20\.0\.0\/24\)/);
	assert.match(text, /\+ connect traefik to security-net as traefik/);
	assert.match(text, /\+ recreate gluetun → qbittorrent \(load FIREWALL_OUTBOUND_SUBNETS\)/);
	assert.match(
		text,
		/\+ {6}- FIREWALL_OUTBOUND_SUBNETS=172\.18\.0\.0\/16,192\.168\.1\.0\/24,172\.20\.0\.0\/16/,
		'the allow-list being edited stays visible',
	);
	for (const secret of ['wOEI9rqqbDwnN8', 'eyJhIjoiZmFrZS', '9b8a7c6d5e4f3a2b1c0d', 'mullvad'])
		assert.ok(!text.includes(secret), `${secret} is masked`);
	assert.match(text, /WIREGUARD_PRIVATE_KEY=\*\*\*\*/);
	assert.match(text, /TZ: \$\{TZ\}|TZ=\$\{TZ\}/, 'a ${VAR} reference is no secret');
	assert.deepEqual(treeHashes(exampleStack), before);
});

test('masking covers list, map and .env forms and leaves other lines alone', () => {
	const mask = makeMasker(new Set(['API_KEY', 'PASSWORD', 'FW']), new Set(['FW']));
	assert.equal(
		maskDiff(
			[
				'+      - API_KEY=abc123',
				'-      PASSWORD: "hunter2"  # old',
				' PASSWORD=x',
				'+      - FW=10.0.0.0/8',
				'       image: API_KEY',
			].join('\n'),
			mask,
		),
		['+      - API_KEY=****', '-      PASSWORD: ****  # old', ' PASSWORD=****', '+      - FW=10.0.0.0/8', '       image: API_KEY'].join(
			'\n',
		),
	);
});

test('masking follows YAML nodes: block scalars, basic-auth labels and command tokens are masked; the allow-list is not', () => {
	const after = [
		'services:',
		'  vpn:',
		'    image: gluetun',
		'    command: tunnel run --token eyJhIjoiZmFrZS --loglevel info',
		'    environment:',
		'      FIREWALL_OUTBOUND_SUBNETS: 172.18.0.0/16,172.20.0.0/16',
		'      TZ: ${TZ}',
		'      PIN: 1234',
		'      SSH_KEY: |',
		'        -----BEGIN OPENSSH PRIVATE KEY-----',
		'        b3BlbnNzaC1rZXktdjEAAAAA',
		'      PLAIN: hunter2',
		'    labels:',
		'      - traefik.http.middlewares.auth.basicauth.users=admin:$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/',
		'      - traefik.http.routers.vpn.rule=Host(`vpn.example.org`)',
		'  app:',
		'    image: app',
		'    command: ["--password", "s3cret", "--api-token=abc123", "--port", "8080"]',
		'',
	].join('\n');
	const diff = maskedFileDiff({kind: 'compose', before: '', after}, 'docker-compose.yml', {
		keys: new Set(['FIREWALL_OUTBOUND_SUBNETS']),
		visible: new Set(['FIREWALL_OUTBOUND_SUBNETS']),
	});
	for (const secret of ['eyJhIjoiZmFrZS', '1234', 'BEGIN OPENSSH', 'b3BlbnNzaC1rZXktdjEAAAAA', 'hunter2', 'apr1', 's3cret', 'abc123'])
		assert.ok(!diff.includes(secret), `${secret} is masked:\n${diff}`);
	const lines = diff.split('\n');
	for (const expected of [
		'+    command: tunnel run --token **** --loglevel info',
		'+      FIREWALL_OUTBOUND_SUBNETS: 172.18.0.0/16,172.20.0.0/16',
		'+      TZ: ${TZ}',
		'+      SSH_KEY: ****',
		'+        ****',
		'+      - traefik.http.middlewares.auth.basicauth.users=****',
		'+      - traefik.http.routers.vpn.rule=Host(`vpn.example.org`)',
		'+    command: ["--password", "****", "--api-token=****", "--port", "8080"]',
	]) {
		assert.ok(lines.includes(expected), `${expected}\n${diff}`);
	}
});

test('an .env allow-list under its own name is shown before and after; other values, multi-line ones too, are masked', () => {
	const before = 'NET_FW=172.18.0.0/16\nCERT="-----BEGIN\n-----END"\nAPI_KEY=abc\n';
	const after = before.replace('NET_FW=172.18.0.0/16', 'NET_FW=172.18.0.0/16,172.20.0.0/16');
	const diff = maskedFileDiff({kind: 'env', before, after}, '.env', {
		keys: new Set(['API_KEY', 'CERT', 'NET_FW']),
		visible: new Set(['NET_FW']),
	});
	assert.equal(
		diff,
		[
			'--- a/.env',
			'+++ b/.env',
			'@@ -1,4 +1,4 @@',
			'-NET_FW=172.18.0.0/16',
			'+NET_FW=172.18.0.0/16,172.20.0.0/16',
			' CERT="****',
			' ****"',
			' API_KEY=****',
			'',
		].join('\n'),
	);
});

test('the .env variable an allow-list points at is visible under its own name', () => {
	const root = writeStack({
		'docker-compose.yml': 'services:\n  vpn:\n    image: g\n    environment:\n      - FIREWALL_OUTBOUND_SUBNETS=${NET_FW}\n',
		'.env': 'NET_FW=172.18.0.0/16\n',
	});
	try {
		const plan = {
			iterations: [{firewall: [{service: 'vpn', variable: 'FIREWALL_OUTBOUND_SUBNETS', ensure: ['172.20.0.0/16']}]}],
		} as unknown as Plan;
		assert.deepEqual(
			[...allowListVariables(plan, loadComposeProject(root, ['docker-compose.yml']))],
			['FIREWALL_OUTBOUND_SUBNETS', 'NET_FW'],
		);
	} finally {
		removeStack(root);
	}
});

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {structuredPatch} from 'diff';
import {parse} from 'yaml';
import {ComposeEditor} from '../../source/compose/edits.js';
import {loadComposeProject} from '../../source/compose/project.js';
import {NetmigrateError} from '../../source/errors.js';
import {removeStack, writeStack} from '../harness/stack.js';

const roots: string[] = [];
after(() => roots.forEach(removeStack));
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures/compose', name), 'utf8');

function edit(files: Record<string, string>, change: (editor: ComposeEditor) => void) {
	const root = writeStack(files);
	roots.push(root);
	const editor = new ComposeEditor(loadComposeProject(root, ['docker-compose.yml']));
	change(editor);
	const changes = editor.changes();
	const text = (name: string) => changes.find((item) => item.path === path.join(root, name))?.after;
	return {changes, text, notes: editor.notes};
}

/** Line numbers removed from the old text and added in the new one. */
function changedLines(before: string, afterText: string): {removed: number[]; added: number[]} {
	const removed: number[] = [];
	const added: number[] = [];
	for (const hunk of structuredPatch('a', 'b', before, afterText, '', '', {context: 0}).hunks) {
		let [old, fresh] = [hunk.oldStart, hunk.newStart];
		for (const line of hunk.lines) {
			if (line.startsWith('-')) removed.push(old++);
			else if (line.startsWith('+')) added.push(fresh++);
		}
	}
	return {removed, added};
}

const env = 'PUID=1000\nCF_DNS_API_TOKEN=cf\nTUNNEL_TOKEN=tt\nWIREGUARD_PRIVATE_KEY=wg\n';

describe('a 334-line real-shaped stack', () => {
	test('three planned edits change exactly the intended lines and nothing compose reads besides them', () => {
		const original = fixture('big-stack.yml');
		assert.ok(original.split('\n').length > 300);
		const {text} = edit({'docker-compose.yml': original, '.env': env}, (editor) => {
			editor.addNetworksToServices([['jellyseerr', ['frontend-net']]]);
			editor.addNetworksToServices([['sonarr', ['download-net']]]);
			editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']);
		});
		const edited = text('docker-compose.yml') as string;
		// Before this change the same three edits rewrote the whole file: 11 lines removed, 20 added (UMASK 002 → 2, 05 → 5, the compact ipam list re-indented, trailing spaces and a folded scalar rewritten).
		assert.deepEqual(changedLines(original, edited), {removed: [86], added: [86, 124, 125, 126, 248, 339, 340, 341, 342, 343, 344]});
		const lines = edited.split('\n');
		assert.equal(lines[85], '      FIREWALL_OUTBOUND_SUBNETS: 172.18.0.0/16,192.168.1.0/24,172.20.0.0/16');
		assert.deepEqual(
			lines.slice(123, 126),
			['    networks:', '      - media-network   ', '      - download-net'],
			'the inherited list is copied as written, trailing spaces included',
		);
		assert.equal(lines[247], '      - frontend-net');
		for (const version of ['1.1', '1.2'] as const) {
			const before = parse(original, {merge: true, version});
			const now = parse(edited, {merge: true, version});
			before.services.jellyseerr.networks.push('frontend-net');
			before.services.sonarr.networks.push('download-net');
			before.services.gluetun.environment.FIREWALL_OUTBOUND_SUBNETS += ',172.20.0.0/16';
			before.networks['frontend-net'] = {name: 'frontend-net', external: true};
			before.networks['download-net'] = {name: 'download-net', external: true};
			assert.deepEqual(now, before, `YAML ${version}`);
		}
		assert.equal(
			parse(edited, {merge: true, version: '1.1'}).services.qbittorrent.environment.UMASK_SET,
			18,
			'compose still reads 022 as octal',
		);
	});
});

describe('values the plan does not touch', () => {
	const styles = [
		'    UMASK: 002',
		'    UMASK_SET: 022',
		'    OCTAL: 0o750',
		'    HEX: 0x1F',
		'    DEBUG: no',
		'    ENABLED: yes',
		'    SWITCH: on',
		'    NOTHING: ~',
		'    SINCE: 2024-01-02',
		'    VERSION: 1.10',
		"    SINGLE: 'it''s'",
		'    DOUBLE: "tab\\there"',
		'    LITERAL: |',
		'      line one',
		'      line two',
		'    FOLDED: >-',
		'      folded',
		'      text',
		'    KEEP: |+',
		'      kept',
		'',
	];
	const compose = [
		'x-vpn: &vpn',
		'  image: qmcgaw/gluetun',
		'  environment:',
		...styles,
		'    FIREWALL_OUTBOUND_SUBNETS: 172.18.0.0/16',
		'services:',
		'  vpn1:',
		'    <<: *vpn',
		'  vpn2:',
		'    <<: *vpn',
		'',
	].join('\n');

	test('an environment inherited through a merge key is copied as written, each style exactly, then only the allow-list grows', () => {
		const {text, notes} = edit({'docker-compose.yml': compose}, (editor) =>
			editor.ensureAllowList('vpn1', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']),
		);
		const copied = styles.map((line) => (line === '' ? '' : `  ${line}`));
		assert.equal(
			text('docker-compose.yml'),
			compose.replace(
				'  vpn1:\n    <<: *vpn\n',
				[
					'  vpn1:',
					'    <<: *vpn',
					'    environment:',
					...copied,
					'      FIREWALL_OUTBOUND_SUBNETS: 172.18.0.0/16,172.20.0.0/16',
					'',
				].join('\n'),
			),
		);
		const resolved = parse(text('docker-compose.yml') as string, {merge: true, version: '1.1'});
		assert.equal(resolved.services.vpn1.environment.UMASK_SET, 18);
		assert.equal(resolved.services.vpn2.environment.FIREWALL_OUTBOUND_SUBNETS, '172.18.0.0/16');
		assert.match(notes.join('\n'), /vpn1: its environment came from a merge key/);
	});

	test('an own map that merges an anchor gets one new line; the anchor keeps 002 and 022', () => {
		const files = {
			'docker-compose.yml': [
				'x-env: &env',
				'  UMASK: 002',
				'  UMASK_SET: 022',
				'  FIREWALL_OUTBOUND_SUBNETS: 172.18.0.0/16',
				'services:',
				'  vpn:',
				'    image: gluetun',
				'    environment:',
				'      <<: *env',
				'      TZ: Europe/Berlin',
				'  other:',
				'    image: x',
				'    environment: *env',
				'',
			].join('\n'),
		};
		const {text} = edit(files, (editor) => editor.ensureAllowList('vpn', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']));
		assert.equal(
			text('docker-compose.yml'),
			files['docker-compose.yml'].replace(
				'      TZ: Europe/Berlin\n',
				'      TZ: Europe/Berlin\n      FIREWALL_OUTBOUND_SUBNETS: 172.18.0.0/16,172.20.0.0/16\n',
			),
		);
	});

	test('allow-lists keep their style: single quotes, a folded block with chomping, a list item', () => {
		const files = {
			'docker-compose.yml': [
				'services:',
				'  a:',
				'    image: a',
				'    environment:',
				"      FIREWALL_OUTBOUND_SUBNETS: '172.18.0.0/16'",
				'  b:',
				'    image: b',
				'    environment:',
				'      LOCAL_NETWORK: >-',
				'        192.168.1.0/24,',
				'        172.18.0.0/16',
				'      TZ: UTC',
				'',
			].join('\n'),
		};
		const {text} = edit(files, (editor) => {
			editor.ensureAllowList('a', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']);
			editor.ensureAllowList('b', 'LOCAL_NETWORK', ['172.20.0.0/16']);
		});
		const after = text('docker-compose.yml') as string;
		assert.ok(after.includes("      FIREWALL_OUTBOUND_SUBNETS: '172.18.0.0/16,172.20.0.0/16'\n"));
		assert.ok(after.includes('        192.168.1.0/24,\n        172.18.0.0/16, 172.20.0.0/16\n      TZ: UTC\n'));
		assert.equal(parse(after).services.b.environment.LOCAL_NETWORK, '192.168.1.0/24, 172.18.0.0/16, 172.20.0.0/16');
	});
});

describe('only the changed lines change', () => {
	test('a compact sequence (Docker docs style) beside indented ones: each keeps its own column', () => {
		const original = [
			'services:',
			'  proxy:',
			'    image: traefik',
			'    ports:',
			'    - 80:80',
			'    - 443:443',
			'    - 8080:8080',
			'    networks:',
			'      - media-network',
			'networks:',
			'  media-network:',
			'    ipam:',
			'      config:',
			'      - subnet: 172.18.0.0/16',
			'',
		].join('\n');
		const {text} = edit({'docker-compose.yml': original}, (editor) => {
			editor.addNetworksToServices([['proxy', ['dmz-net']]]);
			editor.removePorts('proxy', ['8080']);
		});
		assert.equal(
			text('docker-compose.yml'),
			original.replace('    - 8080:8080\n', '').replace('      - media-network\n', '      - media-network\n      - dmz-net\n') +
				'  dmz-net:\n    name: dmz-net\n    external: true\n',
		);
	});

	test('header comments stay with the next service; commented-out blocks and trailing spaces are untouched', () => {
		const original = [
			'services:',
			'  web:',
			'    image: nginx  ',
			'    networks:',
			'      - media-network',
			'  # web2:',
			'  #   image: nginx',
			'  #   networks:',
			'  #       - media-network',
			'',
			'  # ---- databases ----',
			'  db:',
			'    image: postgres',
			'networks:',
			'  media-network: {external: true}',
			'',
		].join('\n');
		const {text} = edit({'docker-compose.yml': original}, (editor) => editor.addNetworksToServices([['web', ['backend-net']]]));
		const expected = original
			.replace('      - media-network\n  # web2', '      - media-network\n      - backend-net\n  # web2')
			.replace(
				'  media-network: {external: true}\n',
				'  media-network: {external: true}\n  backend-net:\n    name: backend-net\n    external: true\n',
			);
		assert.equal(text('docker-compose.yml'), expected);
	});

	test('flow maps and CRLF with four-space indents are edited inside the braces, line ends kept', () => {
		const original = [
			'services:',
			'    web:',
			'        image: web',
			'        networks: {media-network: {aliases: [w]}}',
			'networks: {media-network: {external: true}}',
			'',
		].join('\r\n');
		const {text} = edit({'docker-compose.yml': original}, (editor) => editor.addNetworksToServices([['web', ['frontend-net']]]));
		assert.equal(
			text('docker-compose.yml'),
			[
				'services:',
				'    web:',
				'        image: web',
				'        networks: {media-network: {aliases: [w]}, frontend-net: {}}',
				'networks: {media-network: {external: true}, frontend-net: {name: frontend-net, external: true}}',
				'',
			].join('\r\n'),
		);
	});

	test('detaching from a compact list and a flow list removes only those entries', () => {
		const original = [
			'services:',
			'  a:',
			'    image: a',
			'    networks:',
			'    - media-network',
			'    - backend-net',
			'  b:',
			'    image: b',
			'    networks: [media-network, backend-net]',
			'networks:',
			'  media-network: {external: true}',
			'  backend-net: {external: true}',
			'',
		].join('\n');
		const {text} = edit({'docker-compose.yml': original}, (editor) => {
			editor.removeNetworks('a', ['media-network']);
			editor.removeNetworks('b', ['media-network']);
		});
		assert.equal(
			text('docker-compose.yml'),
			original.replace('    - media-network\n', '').replace('[media-network, backend-net]', '[backend-net]'),
		);
	});
});

describe('edits that cannot be made exactly are refused, naming the line', () => {
	test('a plain allow-list inside a flow map would gain a key: refused, nothing written', () => {
		const files = {
			'docker-compose.yml': 'services:\n  vpn:\n    image: g\n    environment: {FIREWALL_OUTBOUND_SUBNETS: 10.0.0.0/8, TZ: UTC}\n',
		};
		let editor: ComposeEditor | undefined;
		assert.throws(
			() =>
				edit(files, (made) => {
					editor = made;
					made.ensureAllowList('vpn', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']);
				}),
			(error: NetmigrateError) =>
				/cannot add to FIREWALL_OUTBOUND_SUBNETS of vpn without changing something else/.test(error.message) &&
				error.where?.line === 4 &&
				/by hand/.test(error.hint ?? ''),
		);
		assert.deepEqual(editor?.changes(), []);
	});

	test('removing from a flow list spread over lines with comments is refused with its line', () => {
		const files = {
			'docker-compose.yml':
				'services:\n  a:\n    image: a\n    networks: [\n      media-network, # old\n      backend-net,\n    ]\nnetworks:\n  media-network: {external: true}\n  backend-net: {external: true}\n',
		};
		assert.throws(
			() => edit(files, (editor) => editor.removeNetworks('a', ['media-network'])),
			(error: NetmigrateError) => /cannot remove media-network/.test(error.message) && error.where?.line === 4,
		);
	});
});

describe('a .env variable used in two places', () => {
	const compose = [
		'services:',
		'  gluetun:',
		'    image: qmcgaw/gluetun',
		'    environment:',
		'      - FIREWALL_OUTBOUND_SUBNETS=${NET_DOCKER_SUBNET}',
		'networks:',
		'  media-network:',
		'    ipam:',
		'      config:',
		'        - subnet: ${NET_DOCKER_SUBNET}',
		'',
	].join('\n');

	test('is refused with every other use and the fix, and nothing is written', () => {
		assert.throws(
			() =>
				edit({'docker-compose.yml': compose, '.env': 'NET_DOCKER_SUBNET=172.18.0.0/16\n'}, (editor) =>
					editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']),
				),
			(error: NetmigrateError) =>
				/NET_DOCKER_SUBNET in \.env is not only gluetun's FIREWALL_OUTBOUND_SUBNETS: it is also used by networks\.media-network\.ipam\.config\.0\.subnet \(docker-compose\.yml:10\)/.test(
					error.message,
				) &&
				error.where?.line === 10 &&
				/write the list in gluetun's own environment/.test(error.hint ?? ''),
		);
	});

	test('a .env passed whole to other services as env_file counts as a use too', () => {
		const files = {
			'docker-compose.yml': 'services:\n  gluetun:\n    image: g\n    env_file: .env\n  app:\n    image: a\n    env_file: [.env]\n',
			'.env': 'FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16\n',
		};
		assert.throws(
			() => edit(files, (editor) => editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16'])),
			/service app, which reads the whole file as its env_file/,
		);
	});

	test('a value that only mixes the variable with literal entries is extended in the compose file, not in .env', () => {
		const files = {
			'docker-compose.yml': compose.replace('=${NET_DOCKER_SUBNET}', '=${NET_DOCKER_SUBNET},192.168.1.0/24'),
			'.env': 'NET_DOCKER_SUBNET=172.18.0.0/16\n',
		};
		const {changes, text} = edit(files, (editor) => editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']));
		assert.equal(changes.length, 1);
		assert.ok(
			(text('docker-compose.yml') as string).includes(
				'- FIREWALL_OUTBOUND_SUBNETS=${NET_DOCKER_SUBNET},192.168.1.0/24,172.20.0.0/16\n',
			),
		);
	});
});

test('a service that ends the file, on the implicit default network, gets its list before the new declarations', () => {
	const original = 'name: shop\nservices:\n  api:\n    image: api:2\n';
	const {text} = edit({'docker-compose.yml': original}, (editor) => editor.addNetworksToServices([['api', ['backend-net']]]));
	assert.equal(
		text('docker-compose.yml'),
		`${original}    networks:\n      - default\n      - backend-net\nnetworks:\n  backend-net:\n    name: backend-net\n    external: true\n`,
	);
});

test('an allow-list written as ~ or as a plain scalar folded over lines is extended in place', () => {
	const original = [
		'services:',
		'  a:',
		'    image: a',
		'    environment:',
		'      FW: ~',
		'      LOCAL_NETWORK: 192.168.1.0/24,',
		'        172.18.0.0/16',
		'      B: 1',
		'',
	].join('\n');
	const {text} = edit({'docker-compose.yml': original}, (editor) => {
		editor.ensureAllowList('a', 'FW', ['172.20.0.0/16']);
		editor.ensureAllowList('a', 'LOCAL_NETWORK', ['172.20.0.0/16']);
	});
	assert.equal(
		text('docker-compose.yml'),
		original.replace('FW: ~', 'FW: 172.20.0.0/16').replace('        172.18.0.0/16\n', '        172.18.0.0/16, 172.20.0.0/16\n'),
	);
});

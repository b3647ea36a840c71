/**
 * Membership compared with the record a backup takes before an iteration: networks, and on each
 * the aliases and pinned addresses as configured, and a follower's namespace still alive. The
 * containers are shaped as the engine reports a compose stack with default container names
 * (compose gives each endpoint the container name, the service name and the file's `aliases:`).
 */
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import type {ContainerInfo, NetworkEndpoint, SharedNamespace} from '../../source/domain.js';
import {interfacesOf, namespaceOf, parseInterfaces} from '../../source/engine/namespace.js';
import {configuredAliases, expectedAfter, membershipProblems, recordFromNames, recordOf} from '../../source/membership.js';

const ids = {
	web: 'a1'.repeat(32),
	webRecreated: 'b2'.repeat(32),
	api: 'c3'.repeat(32),
	vpn: 'd4'.repeat(32),
	vpnRecreated: 'e5'.repeat(32),
	downloader: 'f6'.repeat(32),
};

function endpoint(network: string, aliases: string[], pinnedIPv4?: string, ipv4 = pinnedIPv4 ?? '172.28.0.9'): NetworkEndpoint {
	return {network, ipv4, aliases, gateway: '172.28.0.1', ...(pinnedIPv4 ? {pinnedIPv4} : {})};
}

function container(name: string, id: string, networks: NetworkEndpoint[], change: Partial<ContainerInfo> = {}): ContainerInfo {
	const service = name.replace(/^shop-/, '').replace(/-\d+$/, '');
	return {
		id,
		name,
		project: 'shop',
		service,
		state: 'running',
		pid: 4242,
		health: 'healthy',
		networkMode: networks[0]?.network ?? 'default',
		networks,
		env: [],
		image: 'netmigrate/busybox:1',
		labels: {},
		...change,
	};
}

/** The stack before the iteration, as Engine 26 answers at API 1.45: Aliases exactly as compose submitted them. */
function before(): ContainerInfo[] {
	return [
		container('shop-web-1', ids.web, [endpoint('flat-net', ['shop-web-1', 'web', 'www', 'frontpage'], '172.28.0.50')]),
		container('shop-api-1', ids.api, [endpoint('flat-net', ['shop-api-1', 'api', 'backend-api'], '172.28.0.60')]),
		container('shop-vpn-1', ids.vpn, [endpoint('flat-net', ['shop-vpn-1', 'vpn'])]),
		container('shop-downloader-1', ids.downloader, [], {networkMode: `container:${ids.vpn}`}),
	];
}

const alive: Map<string, SharedNamespace> = new Map([[ids.downloader, {owner: 'shop-vpn-1', alive: true}]]);
const record = recordOf(before(), alive);

/** The stack now: `before` with one container changed. */
function now(name: string, change: (container: ContainerInfo) => ContainerInfo, shared = alive) {
	return recordOf(
		before().map((item) => (item.name === name ? change(item) : item)),
		shared,
	);
}

test('the record keeps what was configured: aliases sorted, pinned addresses, the namespace a follower shares', () => {
	assert.deepEqual(record['shop-web-1'], {
		service: 'web',
		networks: [{network: 'flat-net', aliases: ['frontpage', 'shop-web-1', 'web', 'www'], ipv4Address: '172.28.0.50'}],
	});
	assert.deepEqual(
		record['shop-vpn-1']?.networks,
		[{network: 'flat-net', aliases: ['shop-vpn-1', 'vpn']}],
		'a dynamic address is not a pin',
	);
	assert.deepEqual(record['shop-downloader-1'], {service: 'downloader', networks: [], sharesWith: {owner: 'shop-vpn-1', alive: true}});
});

test('the same membership, even from a recreated container (new id, new dynamic address), has no problems', () => {
	assert.deepEqual(membershipProblems(record, recordOf(before(), alive)), []);
	const recreated = now('shop-web-1', (web) => ({
		...web,
		id: ids.webRecreated,
		networks: [{...endpoint('flat-net', ['web', 'shop-web-1', 'frontpage', 'www', 'web'], '172.28.0.50'), ipv4: '172.28.0.50'}],
	}));
	assert.deepEqual(membershipProblems(record, recreated), [], 'order and repeats of aliases do not matter');
});

test("an address a rollback asked for to keep the vpn's own is no pin of the stack's; one the stack pins still is", () => {
	const kept = now('shop-vpn-1', (vpn) => ({
		...vpn,
		networks: [{...endpoint('flat-net', ['shop-vpn-1', 'vpn'], '172.28.0.9'), keptIPv4: '172.28.0.9'}],
	}));
	assert.deepEqual(membershipProblems(record, kept), []);
	const pinnedOther = now('shop-vpn-1', (vpn) => ({
		...vpn,
		networks: [{...endpoint('flat-net', ['shop-vpn-1', 'vpn'], '172.28.0.7'), keptIPv4: '172.28.0.9'}],
	}));
	assert.deepEqual(membershipProblems(record, pinnedOther), ['shop-vpn-1 on flat-net: pinned IPv4 address 172.28.0.7 (expected none)']);
});

test('an alias missing on a kept network fails, naming the container, the network, expected and found', () => {
	const found = now('shop-web-1', (web) => ({...web, networks: [endpoint('flat-net', ['web', 'shop-web-1'], '172.28.0.50')]}));
	assert.deepEqual(membershipProblems(record, found), [
		'shop-web-1 on flat-net: aliases shop-web-1, web (expected frontpage, shop-web-1, web, www; missing frontpage, www)',
	]);
});

test('the short container id an engine below API 1.45 adds to Aliases is ignored; any other extra alias is not', () => {
	const olderApi = now('shop-api-1', (api) => ({
		...api,
		networks: [endpoint('flat-net', ['shop-api-1', 'api', 'backend-api', ids.api.slice(0, 12)], '172.28.0.60')],
	}));
	assert.deepEqual(membershipProblems(record, olderApi), []);
	assert.deepEqual(configuredAliases(['web', ids.web.slice(0, 12), ids.web], ids.web), ['web']);
	const extra = now('shop-api-1', (api) => ({
		...api,
		networks: [endpoint('flat-net', ['shop-api-1', 'api', 'backend-api', 'legacy-api'], '172.28.0.60')],
	}));
	assert.deepEqual(membershipProblems(record, extra), [
		'shop-api-1 on flat-net: aliases api, backend-api, legacy-api, shop-api-1 (expected api, backend-api, shop-api-1; extra legacy-api)',
	]);
});

test('a pinned IPv4 address that changed, or was lost on a reconnect without IPAMConfig, fails', () => {
	const moved = now('shop-api-1', (api) => ({
		...api,
		networks: [endpoint('flat-net', ['shop-api-1', 'api', 'backend-api'], '172.28.0.61')],
	}));
	assert.deepEqual(membershipProblems(record, moved), ['shop-api-1 on flat-net: pinned IPv4 address 172.28.0.61 (expected 172.28.0.60)']);
	const unpinned = now('shop-api-1', (api) => ({
		...api,
		networks: [endpoint('flat-net', ['shop-api-1', 'api', 'backend-api'], undefined, '172.28.0.2')],
	}));
	assert.deepEqual(membershipProblems(record, unpinned), ['shop-api-1 on flat-net: pinned IPv4 address none (expected 172.28.0.60)']);
});

test('a network missing, or one more than recorded, fails with the lists expected and found', () => {
	const twoBefore = recordOf(
		[container('shop-web-1', ids.web, [endpoint('flat-net', ['web', 'shop-web-1']), endpoint('app-net', ['web', 'shop-web-1'])])],
		new Map(),
	);
	const oneNow = recordOf([container('shop-web-1', ids.web, [endpoint('flat-net', ['web', 'shop-web-1'])])], new Map());
	assert.deepEqual(membershipProblems(twoBefore, oneNow), [
		'shop-web-1 is not on app-net (expected on app-net, flat-net; found on flat-net)',
	]);
	assert.deepEqual(membershipProblems(oneNow, twoBefore), [
		'shop-web-1 is on app-net, which it should not be (expected on flat-net; found on app-net, flat-net)',
	]);
	assert.deepEqual(
		membershipProblems(
			record,
			recordOf(
				before().filter((item) => item.name !== 'shop-api-1'),
				alive,
			),
		),
		['container shop-api-1 is gone'],
	);
});

test('a container that had networks and now has none fails: it is left with only lo', () => {
	const none = now('shop-vpn-1', (vpn) => ({...vpn, networks: []}));
	assert.deepEqual(membershipProblems(record, none), ['shop-vpn-1 is on no network, only lo (expected on flat-net)']);
});

test('a follower pointing at the id of an owner that was recreated without it has a dead namespace, and fails', () => {
	const vpnNow = container('shop-vpn-1', ids.vpnRecreated, [endpoint('flat-net', ['shop-vpn-1', 'vpn'])]);
	const downloader = container('shop-downloader-1', ids.downloader, [], {networkMode: `container:${ids.vpn}`});
	const dead = namespaceOf(downloader, ids.vpn, undefined);
	assert.deepEqual(dead, {
		owner: ids.vpn.slice(0, 12),
		alive: false,
		detail: `it points at container ${ids.vpn.slice(0, 12)}, which no longer exists (its owner was recreated without it?)`,
	});
	const found = recordOf([...before().filter((item) => item.name !== 'shop-vpn-1'), vpnNow], new Map([[ids.downloader, dead]]));
	assert.deepEqual(membershipProblems(record, found), [
		`shop-downloader-1 has no network: the namespace it shares is dead — it points at container ${ids.vpn.slice(0, 12)}, which no longer exists (its owner was recreated without it?) (expected shop-vpn-1's, alive)`,
	]);
	// Before this check, names alone said all was well: none before, none now.
	assert.deepEqual(membershipProblems(recordFromNames({'shop-downloader-1': []}), recordOf([downloader], new Map())), []);
	assert.equal(
		membershipProblems(recordFromNames({'shop-downloader-1': []}), found).length,
		1,
		'a backup with names only still catches the dead namespace',
	);
	assert.deepEqual(namespaceOf(downloader, ids.vpn, {...vpnNow, id: ids.vpn, state: 'exited'}), {
		owner: 'shop-vpn-1',
		alive: false,
		detail: 'its owner shop-vpn-1 is exited',
	});
	const recordedDead = recordOf(before(), new Map([[ids.downloader, dead]]));
	assert.deepEqual(
		membershipProblems(recordedDead, found),
		[],
		"a namespace already dead before the iteration is not the iteration's doing",
	);
});

test("a follower whose namespace holds only lo is dead even when its owner runs (read from the host's /proc)", (t) => {
	const proc = mkdtempSync(path.join(tmpdir(), 'nm-proc-'));
	t.after(() => rmSync(proc, {recursive: true, force: true}));
	const downloader = container('shop-downloader-1', ids.downloader, [], {networkMode: 'container:shop-vpn-1'});
	const vpn = container('shop-vpn-1', ids.vpn, [endpoint('flat-net', ['vpn'])]);
	const header =
		'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
	mkdirSync(path.join(proc, '4242/net'), {recursive: true});
	writeFileSync(path.join(proc, '4242/cgroup'), `0::/system.slice/docker-${ids.downloader}.scope\n`);
	writeFileSync(
		path.join(proc, '4242/net/dev'),
		`${header}    lo:     0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n`,
	);
	assert.deepEqual(interfacesOf(downloader, proc), ['lo']);
	assert.deepEqual(namespaceOf(downloader, 'shop-vpn-1', vpn, proc), {
		owner: 'shop-vpn-1',
		alive: false,
		detail: 'only lo is left in its namespace (owner shop-vpn-1)',
	});
	writeFileSync(
		path.join(proc, '4242/net/dev'),
		`${header}    lo: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n  eth0: 1296 16 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`,
	);
	assert.deepEqual(namespaceOf(downloader, 'shop-vpn-1', vpn, proc), {owner: 'shop-vpn-1', alive: true});
	assert.equal(interfacesOf({...downloader, id: ids.api}, proc), undefined, 'a pid whose cgroup names another container is not read');
	assert.deepEqual(parseInterfaces(`${header}  eth1: 0\n`), ['eth1']);
});

test('after an apply: recorded networks keep their aliases and pins, joined ones are expected by name, left ones gone', () => {
	const changes = {attach: {web: ['app-net'], api: ['app-net'], downloader: ['app-net']}, detach: {api: ['flat-net']}};
	const expected = expectedAfter(record, changes);
	assert.deepEqual(expected['shop-web-1']?.networks, [
		{network: 'app-net'},
		{network: 'flat-net', aliases: ['frontpage', 'shop-web-1', 'web', 'www'], ipv4Address: '172.28.0.50'},
	]);
	assert.deepEqual(expected['shop-api-1']?.networks, [{network: 'app-net'}]);
	assert.deepEqual(expected['shop-downloader-1']?.networks, [], 'a follower joins nothing itself');
	const applied = recordOf(
		before().map((item) => {
			if (item.name === 'shop-web-1') return {...item, networks: [...item.networks, endpoint('app-net', ['web', 'shop-web-1'])]};
			if (item.name === 'shop-api-1') return {...item, networks: [endpoint('app-net', ['api', 'shop-api-1'])]};
			return item;
		}),
		alive,
	);
	assert.deepEqual(membershipProblems(expected, applied), []);
	const all = expectedAfter(record, {attach: {}, detach: {all: ['flat-net']}});
	assert.deepEqual(
		Object.values(all).map((item) => item.networks.length),
		[0, 0, 0, 0],
	);
});

/**
 * The Nomad clients' firewall as reference 001 draws it, in nftables: always open SSH, Consul
 * (8300–8302, 8500, 8600) and Nomad (4646–4648); the static ports of the stack's entry points;
 * Nomad's dynamic range 20000–32000 (every other service, and the Connect sidecars); drop the
 * rest. Its own table, declared then flushed, so loading it twice replaces it and touches no
 * other table (docker's and the CNI plugins' forward rules stay theirs).
 */
import type {NomadExport} from './model.js';

export const dynamicRange = {from: 20_000, to: 32_000};

export type StaticPort = {port: number; protocols: Array<'tcp' | 'udp'>; service: string};

export function staticPorts(model: NomadExport): StaticPort[] {
	return model.groups
		.flatMap((group) =>
			group.ports
				.filter((port) => port.published.length > 0)
				.map((port) => ({port: port.published[0] as number, protocols: port.protocols, service: port.service})),
		)
		.sort((a, b) => a.port - b.port);
}

export function renderFirewall(model: NomadExport, heading: string): string {
	const statics = staticPorts(model).flatMap((entry) =>
		entry.protocols.map((protocol) => `\t\t${protocol} dport ${entry.port} accept comment "static: ${entry.service}"`),
	);
	const lines = [
		'#!/usr/sbin/nft -f',
		...heading.split('\n').map((line) => `# ${line}`.trimEnd()),
		'# Load on each Nomad client: nft -f firewall.nft',
		'',
		'table inet netmigrate_nomad',
		'flush table inet netmigrate_nomad',
		'',
		'table inet netmigrate_nomad {',
		'\tchain input {',
		'\t\ttype filter hook input priority filter; policy drop;',
		'\t\tct state established,related accept',
		'\t\tct state invalid drop',
		'\t\tiifname "lo" accept',
		'\t\tmeta l4proto { icmp, ipv6-icmp } accept',
		'',
		'\t\t# Always open (reference 001)',
		'\t\ttcp dport 22 accept comment "SSH"',
		'\t\ttcp dport { 8300-8302, 8500, 8600 } accept comment "Consul"',
		'\t\tudp dport { 8301-8302, 8600 } accept comment "Consul gossip and DNS"',
		'\t\ttcp dport 4646-4648 accept comment "Nomad"',
		'\t\tudp dport 4648 accept comment "Nomad gossip"',
		'',
		'\t\t# Static service ports: the entry points that publish a port to users',
		...(statics.length > 0 ? statics : ['\t\t# (none)']),
		'',
		'\t\t# Nomad dynamic ports: every other service, and the Connect sidecars',
		`\t\ttcp dport ${dynamicRange.from}-${dynamicRange.to} accept comment "Nomad dynamic ports"`,
		`\t\tudp dport ${dynamicRange.from}-${dynamicRange.to} accept comment "Nomad dynamic ports"`,
		'\t}',
		'}',
	];
	return `${lines.join('\n')}\n`;
}

/**
 * Subnet math in the operator's words, over ipaddr.js: parse a CIDR, does one range
 * overlap or contain another, which planned subnets collide with what already exists.
 */
import ipaddr from 'ipaddr.js';

export type Cidr = {text: string; address: ipaddr.IPv4 | ipaddr.IPv6; bits: number};

/** Parses `a.b.c.d/n` (or IPv6); returns undefined for anything that is not a network range. */
export function parseCidr(text: string): Cidr | undefined {
	try {
		const [address, bits] = ipaddr.parseCIDR(text.trim());
		return {text: text.trim(), address, bits};
	} catch {
		return undefined;
	}
}

/** Why a CIDR is not a valid subnet for a network, or undefined when it is. */
export function cidrProblem(text: string): string | undefined {
	const cidr = parseCidr(text);
	if (!cidr) return `"${text}" is not a CIDR range (expected e.g. 172.20.1.0/24)`;
	const network = networkAddress(cidr);
	if (network !== cidr.address.toString()) {
		return `"${text}" has host bits set: the network is ${network}/${cidr.bits}`;
	}
	return undefined;
}

export function networkAddress(cidr: Cidr): string {
	if (cidr.address.kind() === 'ipv4') return ipaddr.IPv4.networkAddressFromCIDR(cidr.text).toString();
	return ipaddr.IPv6.networkAddressFromCIDR(cidr.text).toString();
}

/** True when two ranges share at least one address (one contains the other's start). */
export function overlaps(a: Cidr, b: Cidr): boolean {
	if (a.address.kind() !== b.address.kind()) return false;
	const smaller = a.bits >= b.bits ? a : b;
	const larger = smaller === a ? b : a;
	return smaller.address.match(larger.address, larger.bits);
}

/** True when `outer` contains every address of `inner`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
	return outer.address.kind() === inner.address.kind() && outer.bits <= inner.bits && inner.address.match(outer.address, outer.bits);
}

export function containsAddress(range: Cidr, address: string): boolean {
	try {
		const parsed = ipaddr.parse(address);
		return parsed.kind() === range.address.kind() && parsed.match(range.address, range.bits);
	} catch {
		return false;
	}
}

export function overlapsText(a: string, b: string): boolean {
	const left = parseCidr(a);
	const right = parseCidr(b);
	return left !== undefined && right !== undefined && overlaps(left, right);
}

/**
 * The first free /`bits` subnet inside `pool` that overlaps none of `used`, walking up
 * from the pool's start. Used by `netmigrate init` to propose subnets.
 */
export function nextFreeSubnet(pool: string, bits: number, used: string[]): string | undefined {
	const range = parseCidr(pool);
	if (!range || range.address.kind() !== 'ipv4' || bits < range.bits) return undefined;
	const start = ipv4ToInt(networkAddress(range));
	const size = 2 ** (32 - bits);
	const count = 2 ** (bits - range.bits);
	const taken = used.map((text) => parseCidr(text)).filter((cidr): cidr is Cidr => cidr !== undefined);
	for (let index = 0; index < count; index++) {
		const candidate = `${intToIpv4(start + index * size)}/${bits}`;
		const parsed = parseCidr(candidate) as Cidr;
		if (!taken.some((other) => overlaps(parsed, other))) return candidate;
	}
	return undefined;
}

export function ipv4ToInt(address: string): number {
	return address.split('.').reduce((total, part) => total * 256 + Number(part), 0);
}

export function intToIpv4(value: number): string {
	return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * A vertical menu (ink-select-input) that draws its pointer in the terminal's glyphs and takes
 * keys only where raw mode works: without a TTY `isRawModeSupported` is undefined, and a focused
 * SelectInput would crash on "Raw mode is not supported".
 */
import {Box, Text, useStdin} from 'ink';
import SelectInput from 'ink-select-input';
import {useScreenKeysActive} from './input.js';
import {colorsEnabled, glyphs} from './theme.js';

export type MenuItem<T extends string> = {label: string; value: T};

function Pointer({isSelected = false}: {isSelected?: boolean}) {
	return (
		<Box marginRight={1}>
			<Text color={colorsEnabled() ? 'blue' : undefined}>{isSelected ? glyphs().pointer : ' '}</Text>
		</Box>
	);
}

export function Menu<T extends string>({
	items,
	onSelect,
	isFocused = true,
}: {
	items: Array<MenuItem<T>>;
	onSelect: (value: T) => void;
	isFocused?: boolean;
}) {
	const {isRawModeSupported} = useStdin();
	const active = useScreenKeysActive();
	return (
		<SelectInput
			items={items}
			isFocused={isFocused && active && isRawModeSupported === true}
			indicatorComponent={Pointer}
			onSelect={(item) => onSelect(item.value)}
		/>
	);
}

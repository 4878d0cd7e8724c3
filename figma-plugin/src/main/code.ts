// The plugin's main thread, as Figma runs it (bundled by esbuild into dist/code.js).
import type { FigmaPort } from './figma-port';
import { runPlugin } from './plugin';

// Spelled out so the compiler proves the real API still fits the port the code is written against.
const api: FigmaPort<SceneNode, RectangleNode> = figma;
runPlugin(api, __html__);

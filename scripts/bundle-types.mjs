// Bundles the declarations tsc wrote (build/dts/) into dist/types/: one file per package
// entry, with what the entries share in shared files. The shipped types then import no
// package: lit's and zod's declarations are inlined (respectExternal), so an app type-checks
// against them with neither installed (they are bundled in the JavaScript too).
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

export async function bundleTypes(root) {
  const bundle = await rollup({
    input: {
      index: `${root}build/dts/index.d.ts`,
      element: `${root}build/dts/element.d.ts`,
      'core/index': `${root}build/dts/core/index.d.ts`,
    },
    plugins: [dts({ respectExternal: true, compilerOptions: { preserveSymlinks: false } })],
    onwarn(warning, warn) {
      if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
    },
  });
  await bundle.write({ dir: `${root}dist/types`, format: 'es', chunkFileNames: 'shared/[hash].d.ts' });
  await bundle.close();
}

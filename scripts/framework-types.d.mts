export declare function findElement(manifest: unknown): { tag: string; declaration: { name: string; attributes?: unknown[]; events?: unknown[] } };
export declare function frameworkTypes(manifest: unknown, typesImport: string): Record<string, string>;
export declare function typesSpecifier(outDir: string, typesFile: string): string;
export declare function writeFrameworkTypes(options?: { manifest?: string; outDir?: string; types?: string }): string[];

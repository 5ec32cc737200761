export declare const PARTS: Record<string, { entry: string; shared?: string }>;

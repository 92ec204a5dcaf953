// Brings the vitest `ProvidedContext` augmentation (pgServerUrl) of the global setup into this program.
import type {} from '@enginy/testing/global-setup';

/// <reference types="vite/client" />

declare const __VUE_I18N_FULL_INSTALL__: boolean
declare const __VUE_I18N_LEGACY_API__: boolean
declare const __INTLIFY_PROD_DEVTOOLS__: boolean

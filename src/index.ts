export * from './props';
export * from './exchange-credentials';
export * from './tls-certificate';
export * from './ingress-controller';
export * from './audit';
export * from './secure-trading-api';
export * from './guard/guard';
export * from './guard/validation-plugin';

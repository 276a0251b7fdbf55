// Hardhat 2 config for the test chain only (see hardhat-node.ts). No plugins, no compile step:
// contracts are compiled with solc-js by usdc.ts and deployed over JSON-RPC, so nothing here
// needs a compiler download or the network.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      // The well-known default mnemonic; hardhat-node.ts derives the same keys.
      accounts: {
        mnemonic: 'test test test test test test test test test test test junk',
        count: 10,
      },
    },
  },
};

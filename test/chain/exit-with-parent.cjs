// Preloaded into the Hardhat node (`node --require`) by hardhat-node.ts. The parent holds the
// other end of our stdin pipe; when the parent dies, even by SIGKILL where no 'exit' handler
// runs, the pipe closes and this ends the node, so no orphaned chain keeps a port.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

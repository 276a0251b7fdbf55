// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";

/// A USDC-like token for the test chain: EIP-3009 transferWithAuthorization (what x402's exact
/// scheme settles with) under an EIP-712 domain of the given name and version. Name, version
/// and decimals are constructor arguments so tests can deploy look-alikes (e.g. 18 decimals).
/// Anyone may mint: this contract only ever lives on a throwaway local chain.
contract TestUSDC is ERC3009 {
    uint8 private immutable _decimals;

    constructor(
        string memory name_,
        string memory symbol_,
        string memory version_,
        uint8 decimals_
    ) ERC20(name_, symbol_) EIP712(name_, version_) {
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// Like USDC's FiatToken: x402's facilitator reads it to explain a domain mismatch.
    function version() external view returns (string memory) {
        return _EIP712Version();
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
